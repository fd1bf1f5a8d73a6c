using WecomBridge.Contracts.Tags;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class CorpTagParsingTests
{
    private static string Tag(string changeType, string tagType) =>
        $"<Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[etXXXXXXXXXX]]></Id><TagType><![CDATA[{tagType}]]></TagType><ChangeType><![CDATA[{changeType}]]></ChangeType>";

    [Fact]
    public void Create_update_delete_for_tags_and_groups()
    {
        var created = WeComEventOf<CorpTagCreated>(Tag("create", "tag"));
        Assert.Equal(("etXXXXXXXXXX", "tag"), (created.Id, created.TagType));
        Assert.Equal("tag_group", WeComEventOf<CorpTagUpdated>(Tag("update", "tag_group")).TagType);
        Assert.Equal("tag_group", WeComEventOf<CorpTagDeleted>(Tag("delete", "tag_group")).TagType);
    }

    [Fact]
    public void Shuffle_carries_the_strategy()
    {
        var shuffled = WeComEventOf<CorpTagsShuffled>(
            "<Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[etXXXXXXXXXX]]></Id><ChangeType><![CDATA[shuffle]]></ChangeType><StrategyId>1</StrategyId>");

        Assert.Equal(("etXXXXXXXXXX", "1"), (shuffled.Id, shuffled.StrategyId));
    }
}

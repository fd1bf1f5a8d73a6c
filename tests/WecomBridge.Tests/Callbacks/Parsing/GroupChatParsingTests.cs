using WecomBridge.Contracts.GroupChats;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class GroupChatParsingTests
{
    private const string Head = "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA]]></ChatId>";

    [Fact]
    public void Create_and_dismiss()
    {
        Assert.Equal("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", WeComEventOf<GroupChatCreated>(Head + "<ChangeType><![CDATA[create]]></ChangeType>").ChatId);
        Assert.Equal("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", WeComEventOf<GroupChatDismissed>(Head + "<ChangeType><![CDATA[dismiss]]></ChangeType>").ChatId);
    }

    [Fact]
    public void Add_member_carries_the_member_list_and_versions()
    {
        var updated = WeComEventOf<GroupChatUpdated>(Head + "<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>"
            + "<JoinScene>0</JoinScene><MemChangeCnt>2</MemChangeCnt><MemChangeList><Item>wmEAlECwAAHrbWYDOK5u3Af13xlYDDNQ</Item><Item>lisi</Item></MemChangeList>"
            + "<LastMemVer><![CDATA[6ebe5e7a6be22bb3fa70e0c5e6e9b1f3]]></LastMemVer><CurMemVer><![CDATA[1572405dc6b84f4dc5f2f9a6b49d2d0b]]></CurMemVer>");

        Assert.Equal("add_member", updated.UpdateDetail);
        Assert.Equal(0, updated.JoinScene);
        Assert.Null(updated.QuitScene);
        Assert.Equal(2, updated.MemberChangeCount);
        Assert.Equal(["wmEAlECwAAHrbWYDOK5u3Af13xlYDDNQ", "lisi"], updated.MemberChanges);
        Assert.Equal("6ebe5e7a6be22bb3fa70e0c5e6e9b1f3", updated.LastMemberVersion);
        Assert.Equal("1572405dc6b84f4dc5f2f9a6b49d2d0b", updated.CurrentMemberVersion);
    }

    [Fact]
    public void Del_member_carries_the_quit_scene()
    {
        var updated = WeComEventOf<GroupChatUpdated>(Head + "<ChangeType>update</ChangeType><UpdateDetail>del_member</UpdateDetail>"
            + "<QuitScene>1</QuitScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item>wm1</Item></MemChangeList>");

        Assert.Equal(("del_member", 1, 1), (updated.UpdateDetail, updated.QuitScene, updated.MemberChangeCount));
        Assert.Equal(["wm1"], updated.MemberChanges);
        Assert.Null(updated.CurrentMemberVersion);
    }

    [Theory]
    [InlineData("change_owner")]
    [InlineData("change_name")]
    [InlineData("change_notice")]
    public void Other_update_details_have_no_member_changes(string detail)
    {
        var updated = WeComEventOf<GroupChatUpdated>(Head + $"<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[{detail}]]></UpdateDetail>");

        Assert.Equal(detail, updated.UpdateDetail);
        Assert.Empty(updated.MemberChanges);
        Assert.Null(updated.MemberChangeCount);
    }
}

using WecomBridge.Contracts.Tags;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Enrichment;

[Collection(EnrichmentCollection.Name)]
public class CorpTagCatalogTests(EnrichmentHost host)
{
    [Theory]
    [InlineData("create", nameof(CorpTagCreated))]
    [InlineData("delete", nameof(CorpTagDeleted))]
    [InlineData("shuffle", nameof(CorpTagsShuffled))]
    public async Task A_tag_change_publishes_the_whole_catalog(string changeType, string record)
    {
        await using var catalogs = await ExchangeReader.BindAsync(typeof(CorpTagCatalogPublished));
        var createTime = EnrichmentHost.NewCreateTime();

        await host.PostWeComAsync(WeComEvents.ExternalTag(EnrichmentHost.CorpId, changeType, "etTagVip",
            strategyId: changeType == "shuffle" ? "1" : null, createTime: createTime));

        var (body, properties) = await catalogs.WaitForAsync(m => ExternalContactEnrichmentTests.Is(m, host.Corp, createTime), "the catalog");
        Assert.Equal(nameof(CorpTagCatalogPublished), properties.Type);
        Assert.Equal(record, body.GetProperty("sourceEvent").GetString());
        var groups = body.GetProperty("tagGroups").EnumerateArray().ToDictionary(g => g.GetProperty("groupId").GetString()!);
        Assert.Equal(["etGroupLevel", "etGroupSource"], groups.Keys.Order());
        Assert.Equal(["etTagNormal", "etTagVip"],
            groups["etGroupLevel"].GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("id").GetString()).Order());
        Assert.Equal("Ads", groups["etGroupSource"].GetProperty("tags")[0].GetProperty("name").GetString());
    }
}

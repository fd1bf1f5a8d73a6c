using WecomBridge.Contracts.Followers;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Enrichment;

[Collection(EnrichmentCollection.Name)]
public class FollowerEnrichmentTests(EnrichmentHost host)
{
    [Fact]
    public async Task A_subscribe_publishes_the_follower_as_user_info_shows_it()
    {
        await using var snapshots = await ExchangeReader.BindAsync(typeof(FollowerSnapshotPublished));
        var createTime = EnrichmentHost.NewCreateTime();

        await host.PostOaAsync(OfficialAccountEvents.Subscribe(host.OaApp.OriginalId, "oAlice", "spring", createTime: createTime), "oAlice");

        var (body, properties) = await snapshots.WaitForAsync(
            m => m.GetProperty("account").GetString() == host.Account
                 && m.GetProperty("occurredAt").GetDateTimeOffset() == DateTimeOffset.FromUnixTimeSeconds(createTime), "the follower snapshot");
        Assert.Equal(nameof(FollowerSnapshotPublished), properties.Type);
        Assert.Equal(nameof(FollowerSubscribed), body.GetProperty("sourceEvent").GetString());
        Assert.Equal(("oAlice", true, "unAlice"), (body.GetProperty("openId").GetString(), body.GetProperty("subscribed").GetBoolean(),
            body.GetProperty("unionId").GetString()));
        Assert.Equal(("ADD_SCENE_QR_CODE", 123L, "spring"), (body.GetProperty("subscribeScene").GetString(),
            body.GetProperty("qrScene").GetInt64(), body.GetProperty("qrSceneStr").GetString()));
        Assert.Equal([100], body.GetProperty("tagIds").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), body.GetProperty("subscribedAt").GetDateTimeOffset());
        Assert.Equal("gh_enrichtest", body.GetProperty("originalId").GetString());
    }
}

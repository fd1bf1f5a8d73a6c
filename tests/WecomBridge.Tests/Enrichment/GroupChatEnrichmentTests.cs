using WecomBridge.Contracts.GroupChats;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Enrichment;

[Collection(EnrichmentCollection.Name)]
public class GroupChatEnrichmentTests(EnrichmentHost host)
{
    [Fact]
    public async Task An_update_whose_last_member_version_matches_is_a_plain_read_and_a_mismatch_is_flagged_as_a_gap_re_read()
    {
        await using var snapshots = await ExchangeReader.BindAsync(typeof(GroupChatSnapshotPublished));

        var created = await SendAsync(snapshots, createTime => WeComEvents.ExternalChat(EnrichmentHost.CorpId, "create", "wrChatVip",
            createTime: createTime));
        Assert.Equal(nameof(GroupChatCreated), created.GetProperty("sourceEvent").GetString());
        Assert.Equal("v1", created.GetProperty("memberVersion").GetString());
        Assert.False(created.GetProperty("gapReRead").GetBoolean());
        Assert.Equal("VIP customers", created.GetProperty("name").GetString());
        Assert.Equal(["lisi"], created.GetProperty("adminUserIds").EnumerateArray().Select(a => a.GetString()));
        var alice = created.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("userId").GetString() == "wmAlice");
        Assert.Equal((2, 3, "zhangsan", "unAlice"), (alice.GetProperty("type").GetInt32(), alice.GetProperty("joinScene").GetInt32(),
            alice.GetProperty("invitorUserId").GetString(), alice.GetProperty("unionId").GetString()));

        var matching = await SendAsync(snapshots, createTime => Update("v1", createTime));
        Assert.Equal(nameof(GroupChatUpdated), matching.GetProperty("sourceEvent").GetString());
        Assert.False(matching.GetProperty("gapReRead").GetBoolean());

        var gap = await SendAsync(snapshots, createTime => Update("v0-lost", createTime));
        Assert.True(gap.GetProperty("gapReRead").GetBoolean());
        Assert.Equal("v1", gap.GetProperty("storedMemberVersion").GetString());
        Assert.Equal(3, gap.GetProperty("members").GetArrayLength());
        Assert.Contains(host.Bridge.Logs.Lines, m => m.Contains("Member-version gap in chat wrChatVip"));
        // No log of any category (the app's, Polly's, HttpClient's) carries what was read.
        Assert.DoesNotContain(host.Bridge.Logs.Lines, l => l.Contains("VIP customers") || l.Contains("unAlice"));
    }

    private static string Update(string lastMemVer, long createTime) => WeComEvents.ExternalChat(EnrichmentHost.CorpId, "update",
        "wrChatVip", "add_member", joinScene: 0, members: ["wmAlice"], lastMemVer: lastMemVer, curMemVer: "v1", createTime: createTime);

    private async Task<System.Text.Json.JsonElement> SendAsync(ExchangeReader snapshots, Func<long, string> callback)
    {
        var createTime = EnrichmentHost.NewCreateTime();
        await host.PostWeComAsync(callback(createTime));
        return (await snapshots.WaitForAsync(m => ExternalContactEnrichmentTests.Is(m, host.Corp, createTime), "the chat snapshot")).Body;
    }
}

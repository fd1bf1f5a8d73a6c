using System.Text.Json;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Enrichment;

[Collection(EnrichmentCollection.Name)]
public class ExternalContactEnrichmentTests(EnrichmentHost host)
{
    [Fact]
    public async Task An_added_contact_is_published_as_a_snapshot_with_every_page_of_follow_users_and_their_tags()
    {
        await using var added = await ExchangeReader.BindAsync(typeof(ExternalContactAdded));
        await using var snapshots = await ExchangeReader.BindAsync(typeof(ExternalContactSnapshotPublished));
        var createTime = EnrichmentHost.NewCreateTime();

        await host.PostWeComAsync(WeComEvents.ExternalContact(EnrichmentHost.CorpId, "add_external_contact", "zhangsan", "wmBob",
            "promo", createTime: createTime));

        var (source, _) = await added.WaitForAsync(m => Is(m, host.Corp, createTime), "the ExternalContactAdded");
        var sourceId = source.GetProperty("eventId").GetString()!;
        var (body, properties) = await snapshots.WaitForAsync(m => m.GetProperty("sourceEventId").GetString() == sourceId, "the snapshot");

        Assert.Equal(nameof(ExternalContactSnapshotPublished), properties.Type);
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal(body.GetProperty("eventId").GetString(), properties.MessageId);
        Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("eventId").GetString());
        Assert.NotEqual(sourceId, body.GetProperty("eventId").GetString());
        Assert.Equal(nameof(ExternalContactAdded), body.GetProperty("sourceEvent").GetString());
        Assert.Equal(EnrichmentHost.CorpId, body.GetProperty("corpId").GetString());
        Assert.Equal("zhangsan", body.GetProperty("userId").GetString());
        Assert.Equal("unBob", body.GetProperty("contact").GetProperty("unionId").GetString());

        var follows = body.GetProperty("followUsers").EnumerateArray().ToDictionary(f => f.GetProperty("userId").GetString()!);
        Assert.Equal(["lisi", "zhangsan"], follows.Keys.Order());
        Assert.Equal("Bob from sales", follows["lisi"].GetProperty("remark").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700002000), follows["zhangsan"].GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(3, follows["zhangsan"].GetProperty("addWay").GetInt32());
        var tag = Assert.Single(follows["zhangsan"].GetProperty("tags").EnumerateArray());
        Assert.Equal(("etTagNormal", "Normal", "Level"),
            (tag.GetProperty("tagId").GetString(), tag.GetProperty("tagName").GetString(), tag.GetProperty("groupName").GetString()));
        // One follow user per page: the second came from a next_cursor page.
        Assert.Contains(host.WeCom.Journal.For("/cgi-bin/externalcontact/get"),
            e => e.Query.Contains("external_userid=wmBob") && e.Query.Contains("cursor="));
    }

    [Theory]
    [InlineData("edit_external_contact", nameof(ExternalContactEdited))]
    [InlineData("add_half_external_contact", nameof(ExternalContactHalfAdded))]
    public async Task Edited_and_half_added_contacts_are_read_again(string changeType, string record)
    {
        await using var snapshots = await ExchangeReader.BindAsync(typeof(ExternalContactSnapshotPublished));
        var createTime = EnrichmentHost.NewCreateTime();

        await host.PostWeComAsync(WeComEvents.ExternalContact(EnrichmentHost.CorpId, changeType, "zhangsan", "wmAlice", createTime: createTime));

        var (body, _) = await snapshots.WaitForAsync(m => Is(m, host.Corp, createTime), "the snapshot");
        Assert.Equal(record, body.GetProperty("sourceEvent").GetString());
        var follow = Assert.Single(body.GetProperty("followUsers").EnumerateArray());
        Assert.Equal("spring-campaign", follow.GetProperty("state").GetString());
        Assert.Equal(["etTagAds", "etTagVip"], follow.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("tagId").GetString()).Order());
    }

    internal static bool Is(JsonElement message, string corp, long createTime) =>
        message.GetProperty("corp").GetString() == corp
        && message.GetProperty("occurredAt").GetDateTimeOffset() == DateTimeOffset.FromUnixTimeSeconds(createTime);
}

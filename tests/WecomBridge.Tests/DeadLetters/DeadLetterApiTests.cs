using System.Net;
using System.Text.Json;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Operations;
using WecomBridge.Tests.Enrichment;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.DeadLetters;

/// <summary>
/// Dead letters end to end on the real RabbitMQ and Redis: an enrichment consumer faults (a permanent errcode), the
/// collector moves the event from its `_error` queue into the store, the API lists and shows it masked, a replay once
/// the cause is fixed delivers it once, a second replay is 404 and delivers nothing; discard removes; bad ids are 400.
/// </summary>
[Collection(DeadLetterCollection.Name)]
public class DeadLetterApiTests(DeadLetterHost host)
{
    private const string GetContact = "/cgi-bin/externalcontact/get";

    [Fact]
    public async Task A_faulted_event_is_listed_replayed_once_when_fixed_and_a_second_replay_is_404()
    {
        await using var snapshots = await ExchangeReader.BindAsync(typeof(ExternalContactSnapshotPublished));
        await using var audits = await ExchangeReader.BindAsync(typeof(DeadLetterReplayed));
        const string externalUserId = "wmCarol"; // in the fake's fixture: its read succeeds once the fault is gone
        var createTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - Random.Shared.Next(1000, 100000);
        var queue = host.Queue("external-contact-added");
        var fault = host.WeCom.Faults.ErrCode(40096, GetContact);
        DeadLetterItem letter;
        try
        {
            await host.PostContactAddedAsync(externalUserId, createTime);
            letter = await WaitForLetterAsync(queue, l => l.Body.ValueKind == JsonValueKind.Object
                && l.Body.GetProperty("externalUserId").GetString() == externalUserId);
        }
        finally
        {
            host.WeCom.Faults.Remove(fault);
        }
        // One call answered 40096 and not retried; a slow machine may add a timed-out attempt before it, never one after.
        var faulted = CallsFor(externalUserId);
        Assert.InRange(faulted, 1, 2);

        var overview = await GetJsonAsync("/api/v1/dead-letters");
        var listed = overview.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == queue);
        Assert.True(listed.GetProperty("count").GetInt64() >= 1);
        Assert.Equal(queue + "_error", listed.GetProperty("errorQueue").GetString());
        var shown = await GetJsonAsync($"/api/v1/dead-letters/{letter.Id}");
        Assert.Equal("ExternalContactAdded", shown.GetProperty("messageType").GetString());
        Assert.Equal(queue, shown.GetProperty("queue").GetString());
        Assert.Contains("ApiException", shown.GetProperty("fault").GetProperty("exceptionType").GetString());

        var replay = await host.Ops.PostAsync($"/api/v1/dead-letters/{letter.Id}/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await snapshots.WaitForAsync(m => ExternalContactEnrichmentTests.Is(m, host.Corp, createTime), "the snapshot after the replay");
        var (audit, _) = await audits.WaitForAsync(m => m.GetProperty("deadLetterId").GetString() == letter.Id, "the audit event");
        Assert.Equal("ops", audit.GetProperty("actor").GetString());
        Assert.Equal(queue, audit.GetProperty("queue").GetString());

        var again = await host.Ops.PostAsync($"/api/v1/dead-letters/{letter.Id}/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Ops.GetAsync($"/api/v1/dead-letters/{letter.Id}")).StatusCode);
        Assert.Equal(faulted + 1, CallsFor(externalUserId)); // the replay's call, nothing more
    }

    [Fact]
    public async Task Bodies_and_fault_texts_are_shown_masked_and_discard_removes()
    {
        var queue = host.Queue("external-contact-edited");
        var messageId = Guid.NewGuid().ToString("N");
        var body = $$$"""
            {"eventId":"{{{messageId}}}","corp":"{{{host.Corp}}}","externalUserId":"wmMask1","userId":"zhangsan",
             "remark":"Alice (VIP)","name":"Zhang San","mobile":"13800138000","contact":{"nickname":"Ally","tags":["t1"]},
             "text":"call me at home","remarkMobiles":["13900139000"],"data":{"thing1":{"value":"Order 42"}},"kind":"k"}
            """;
        await DeadLetterHost.PutFaultedAsync(queue, body, messageId, "bad contact Alice (VIP) at 13800138000");
        var letter = await WaitForLetterAsync(queue, l => l.MessageId == messageId);

        var text = await host.Ops.GetStringAsync($"/api/v1/dead-letters/{letter.Id}");
        foreach (var secret in new[] { "Alice", "Zhang San", "13800138000", "13900139000", "Ally", "call me", "Order 42", "Somewhere" })
            Assert.DoesNotContain(secret, text);
        var shown = JsonDocument.Parse(text).RootElement;
        var shownBody = shown.GetProperty("body");
        Assert.Equal("wmMask1", shownBody.GetProperty("externalUserId").GetString());
        Assert.Equal("zhangsan", shownBody.GetProperty("userId").GetString());
        Assert.Equal("***", shownBody.GetProperty("remark").GetString());
        Assert.Equal("t1", shownBody.GetProperty("contact").GetProperty("tags")[0].GetString());
        Assert.Equal("bad contact *** at ***", shown.GetProperty("fault").GetProperty("message").GetString());
        Assert.Equal("System.InvalidOperationException", shown.GetProperty("fault").GetProperty("exceptionType").GetString());

        await using var audits = await ExchangeReader.BindAsync(typeof(DeadLetterDiscarded));
        Assert.Equal(HttpStatusCode.OK, (await host.Ops.DeleteAsync($"/api/v1/dead-letters/{letter.Id}")).StatusCode);
        var (audit, _) = await audits.WaitForAsync(m => m.GetProperty("deadLetterId").GetString() == letter.Id, "the audit event");
        Assert.Equal(messageId, audit.GetProperty("messageId").GetString());
        Assert.DoesNotContain("Alice", audit.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Ops.DeleteAsync($"/api/v1/dead-letters/{letter.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Ops.GetAsync($"/api/v1/dead-letters/{letter.Id}")).StatusCode);
        Assert.DoesNotContain(host.Bridge.Logs.Lines, l => l.Contains("Alice") || l.Contains("13800138000"));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_not_shown_and_a_queue_is_replayed_whole()
    {
        var queue = host.Queue("corp-tag-deleted");
        var ids = new[] { Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N") };
        await DeadLetterHost.PutFaultedAsync(queue, "<xml>Alice 13800138000</xml>", ids[0], "unreadable");
        await DeadLetterHost.PutFaultedAsync(queue, "{\"text\":\"hi\"}", ids[1], "unreadable");
        var first = await WaitForLetterAsync(queue, l => l.MessageId == ids[0]);
        await WaitForLetterAsync(queue, l => l.MessageId == ids[1]);
        var shown = await GetJsonAsync($"/api/v1/dead-letters/{first.Id}");
        Assert.False(shown.GetProperty("bodyShown").GetBoolean());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("body").ValueKind);

        var all = await host.Ops.PostAsync($"/api/v1/dead-letters/queues/{queue}/replay?limit=1000", null);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var result = JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement;
        Assert.True(result.GetProperty("replayed").GetInt32() >= 2);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Ops.GetAsync($"/api/v1/dead-letters/{first.Id}")).StatusCode);
    }

    [Fact]
    public async Task Unknown_malformed_oversized_and_hostile_input_gets_clear_errors()
    {
        var unknown = Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Ops.GetAsync($"/api/v1/dead-letters/{unknown}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Ops.PostAsync($"/api/v1/dead-letters/{unknown}/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Ops.DeleteAsync($"/api/v1/dead-letters/{unknown}")).StatusCode);
        foreach (var bad in new[] { "abc", unknown.ToUpperInvariant(), unknown + "0", new string('a', 5000), "..%2F..", "1%20or%201" })
        {
            foreach (var response in new[]
                     {
                         await host.Ops.GetAsync($"/api/v1/dead-letters/{bad}"),
                         await host.Ops.PostAsync($"/api/v1/dead-letters/{bad}/replay", null),
                         await host.Ops.DeleteAsync($"/api/v1/dead-letters/{bad}"),
                     })
            {
                Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{bad}: {response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.BadRequest)
                    Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("id", out _));
            }
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Ops.GetAsync($"/api/v1/dead-letters/{new string('a', 5000)}")).StatusCode);
        foreach (var query in new[] { "limit=0", "limit=101", "limit=x", "after=-1", "after=99999999999999999999999" })
            Assert.Equal(HttpStatusCode.BadRequest, (await host.Ops.GetAsync($"/api/v1/dead-letters/queues/{host.Queue("x")}?{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Ops.GetAsync($"/api/v1/dead-letters/queues/{new string('q', 300)}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Ops.GetAsync("/api/v1/dead-letters/queues/a%20b")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Ops.PostAsync($"/api/v1/dead-letters/queues/{host.Queue("x")}/replay?limit=1001", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.Viewer.GetAsync("/api/v1/dead-letters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Viewer.PostAsync($"/api/v1/dead-letters/{unknown}/replay", null)).StatusCode);
        using var anonymous = host.Bridge.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/dead-letters")).StatusCode);
    }

    private async Task<DeadLetterItem> WaitForLetterAsync(string queue, Func<DeadLetterItem, bool> match) =>
        await Eventually.Get(async () =>
        {
            var page = await GetJsonAsync($"/api/v1/dead-letters/queues/{queue}?limit=100");
            return page.GetProperty("items").EnumerateArray().Select(i => new DeadLetterItem(
                i.GetProperty("id").GetString()!, i.GetProperty("messageId").GetString(), i.GetProperty("body"))).FirstOrDefault(match);
        }, l => l is not null, TimeSpan.FromSeconds(30), "the dead letter collected") ?? throw new InvalidOperationException();

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await host.Ops.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private int CallsFor(string externalUserId) =>
        host.WeCom.Journal.For(GetContact).Count(e => e.Query.Contains("external_userid=" + externalUserId));

    private sealed record DeadLetterItem(string Id, string? MessageId, JsonElement Body);
}

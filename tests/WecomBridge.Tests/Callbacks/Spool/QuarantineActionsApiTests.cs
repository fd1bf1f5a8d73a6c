using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WecomBridge.Contracts.Operations;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Enrichment;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>
/// /api/v1/gateway/quarantine/{id} on a gateway whose spool quarantined an event (its stored type no longer resolves):
/// shown with its body masked, replayed into the spool once (a second replay is 404; refused again, it comes back under a
/// new id), discarded once, each action audited with the key's name; bad ids are 400 naming `id`, other keys 403.
/// </summary>
public class QuarantineActionsApiTests
{
    private const string OpsKey = "quarantine-ops-key-0123456789", ViewerKey = "quarantine-viewer-key-0123456789";

    [Fact]
    public async Task An_operator_inspects_replays_and_discards_a_quarantined_event()
    {
        using var folder = new SpoolFolder();
        var eventId = Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes($"{{\"eventId\":\"{eventId}\",\"externalUserId\":\"wmQ1\",\"remark\":\"Alice (VIP)\",\"mobile\":\"13800138000\"}}");
        using (var spool = folder.Open())
            Assert.True(await spool.TryAppendAsync("WecomBridge.Contracts.Contacts.ExternalContactVanished", eventId, body));
        var settings = BridgeApp.WithServers();
        settings["Bridge:Roles:0"] = "Gateway";
        settings["Gateway:Spool:Path"] = folder.Path;
        settings["Enrichment:Enabled"] = "false";
        settings["DeadLetters:OperatorKeys:0"] = "ops";
        settings["SendApi:ApiKeys:0:Name"] = "ops";
        settings["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(OpsKey);
        settings["SendApi:ApiKeys:1:Name"] = "viewer";
        settings["SendApi:ApiKeys:1:KeyHash"] = ApiApp.Hash(ViewerKey);
        await using var app = new BridgeApp(settings);
        using var ops = Client(app, OpsKey);
        using var viewer = Client(app, ViewerKey);
        await using var replayedAudits = await ExchangeReader.BindAsync(typeof(QuarantinedEventReplayed));
        await using var discardedAudits = await ExchangeReader.BindAsync(typeof(QuarantinedEventDiscarded));

        var first = await QuarantinedAsync(ops, eventId, after: 0);
        var text = await ops.GetStringAsync($"/api/v1/gateway/quarantine/{first}");
        Assert.DoesNotContain("Alice", text);
        Assert.DoesNotContain("13800138000", text);
        var shown = JsonDocument.Parse(text).RootElement;
        Assert.Equal("wmQ1", shown.GetProperty("body").GetProperty("externalUserId").GetString());
        Assert.Equal(eventId, shown.GetProperty("event").GetProperty("eventId").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/gateway/quarantine/{first}/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ops.PostAsync($"/api/v1/gateway/quarantine/{first}/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.PostAsync($"/api/v1/gateway/quarantine/{first}/replay", null)).StatusCode);
        var (replayed, _) = await replayedAudits.WaitForAsync(m => m.GetProperty("quarantineId").GetInt64() == first, "the replay's audit");
        Assert.Equal("ops", replayed.GetProperty("actor").GetString());
        Assert.Equal(eventId, replayed.GetProperty("spooledEventId").GetString());

        var second = await QuarantinedAsync(ops, eventId, after: first); // its type still resolves to nothing: refused again
        Assert.Equal(HttpStatusCode.OK, (await ops.DeleteAsync($"/api/v1/gateway/quarantine/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.DeleteAsync($"/api/v1/gateway/quarantine/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync($"/api/v1/gateway/quarantine/{second}")).StatusCode);
        var (discarded, _) = await discardedAudits.WaitForAsync(m => m.GetProperty("quarantineId").GetInt64() == second, "the discard's audit");
        Assert.DoesNotContain("Alice", discarded.GetRawText());
        var page = JsonDocument.Parse(await ops.GetStringAsync("/api/v1/gateway/quarantine")).RootElement;
        Assert.Equal(0, page.GetProperty("quarantined").GetInt64());

        foreach (var bad in new[] { "abc", "0", "-1", "1.5", "99999999999999999999999999", new string('9', 5000), "1%20" })
        foreach (var response in new[]
                 {
                     await ops.GetAsync($"/api/v1/gateway/quarantine/{bad}"),
                     await ops.PostAsync($"/api/v1/gateway/quarantine/{bad}/replay", null),
                     await ops.DeleteAsync($"/api/v1/gateway/quarantine/{bad}"),
                 })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("id", out _));
        }
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Alice") || l.Contains("13800138000"));
    }

    private static async Task<long> QuarantinedAsync(HttpClient ops, string eventId, long after) =>
        await Eventually.Get(async () =>
        {
            var page = JsonDocument.Parse(await ops.GetStringAsync($"/api/v1/gateway/quarantine?after={after}")).RootElement;
            return page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("eventId").GetString() == eventId)
                .Select(i => i.GetProperty("id").GetInt64()).FirstOrDefault();
        }, id => id > 0, TimeSpan.FromSeconds(30), "the event quarantined");

    private static HttpClient Client(BridgeApp app, string key)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WecomBridge.Tests.Callbacks.Drills;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>
/// A gateway (role Gateway alone) restarted with an event in its spool whose type no longer resolves: the event is
/// quarantined, readiness says so (Degraded, ready), and GET /api/v1/gateway/quarantine lists it behind an API key,
/// metadata only; malformed and hostile queries get a 400 problem.
/// </summary>
[Collection("drills")]
public class QuarantineEndpointDrill
{
    private const string Key = "quarantine-test-key-0123456789";

    [Fact]
    public async Task The_gateway_lists_its_quarantine_to_an_operator_without_bodies()
    {
        using var folder = new SpoolFolder();
        var gone = SpoolFolder.Added("secretname", 0);
        var kept = SpoolFolder.Added(Guid.NewGuid().ToString("N")[..8], 1);
        using (var spool = folder.Open())
        {
            Assert.True(await spool.TryAppendAsync("WecomBridge.Contracts.Contacts.ExternalContactVanished", gone.EventId, gone.Body));
            Assert.True(await spool.TryAppendAsync(kept.Type, kept.EventId, kept.Body));
        }
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, DrillStream.Exchange);
        var settings = DrillStream.Settings(TestServers.RabbitMq, TestServers.Redis, folder.Path);
        settings["Bridge:Roles:0"] = "Gateway";
        settings["SendApi:ApiKeys:0:Name"] = "ops";
        settings["SendApi:ApiKeys:0:KeyHash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        await using var gateway = new GatewayProcess(settings);
        await gateway.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        var ready = await Eventually.Get(async () => await http.GetAsync("/health/ready"),
            r => r.IsSuccessStatusCode && r.Content.ReadAsStringAsync().Result.Contains("1 events quarantined"), TimeSpan.FromSeconds(60),
            "readiness reports the quarantined event");
        Assert.Contains("\"spool\":{\"status\":\"Degraded\"", await ready.Content.ReadAsStringAsync());
        await Eventually.True(async () => (await tap.ReadAsync()).Any(m => m.GetProperty("eventId").GetString() == kept.EventId),
            TimeSpan.FromSeconds(30), "the event behind it forwarded");

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/gateway/quarantine")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var listed = await http.GetAsync("/api/v1/gateway/quarantine");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var text = await listed.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secretname", text); // no body, no personal data
        using var page = JsonDocument.Parse(text);
        Assert.Equal(1, page.RootElement.GetProperty("quarantined").GetInt64());
        var item = Assert.Single(page.RootElement.GetProperty("items").EnumerateArray().ToList());
        Assert.Equal(gone.EventId, item.GetProperty("eventId").GetString());
        Assert.Equal("WecomBridge.Contracts.Contacts.ExternalContactVanished", item.GetProperty("type").GetString());
        Assert.Equal(gone.Body.Length, item.GetProperty("bytes").GetInt64());
        Assert.Contains("no longer resolves", item.GetProperty("reason").GetString());
        Assert.False(item.TryGetProperty("body", out _));
        Assert.True(item.TryGetProperty("quarantinedAt", out _));

        var after = await http.GetAsync($"/api/v1/gateway/quarantine?after={item.GetProperty("id").GetInt64()}");
        Assert.Empty(JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray());
        foreach (var query in new[] { "limit=0", "limit=1001", "limit=abc", "limit=99999999999999999999", "after=-1", "after=1e3", "after=%00" })
        {
            var bad = await http.GetAsync("/api/v1/gateway/quarantine?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        }
        Assert.DoesNotContain("secretname", gateway.Log);
    }
}

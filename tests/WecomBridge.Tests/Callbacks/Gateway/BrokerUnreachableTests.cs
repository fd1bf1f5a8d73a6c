using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// With nothing listening where RabbitMQ should be, a callback is made durable in the local spool and answered
/// (WeCom never retries an answered callback, so this is what keeps it); readiness shows the spool Degraded.
/// </summary>
public class BrokerUnreachableTests(BrokerUnreachableTests.Host host) : IClassFixture<BrokerUnreachableTests.Host>
{
    public sealed class Host() : GatewayHost(settings =>
    {
        settings["ConnectionStrings:RabbitMq"] = $"amqp://guest:guest@127.0.0.1:{TestServers.FreePort()}/";
        settings["Gateway:PublishTimeout"] = "00:00:00.5";
    });

    [Fact]
    public async Task A_callback_is_spooled_answered_200_and_readiness_shows_the_spool_degraded_with_its_depth()
    {
        var customer = GatewayHost.NewId();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await host.PostWeComAsync(GatewayHost.Added(customer));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"answered after {watch.Elapsed}, WeCom gives up at 5 s");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var spooled = Assert.Single(ReadSpool(), e => e.Body.Contains(customer, StringComparison.Ordinal));
        Assert.Equal(typeof(ExternalContactAdded).FullName, spooled.Type);
        var body = JsonDocument.Parse(spooled.Body).RootElement;
        Assert.Equal(spooled.EventId, body.GetProperty("eventId").GetString());
        Assert.Equal(customer, body.GetProperty("externalUserId").GetString());

        var ready = await host.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode); // the broker is a configured dependency
        var spool = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("spool");
        Assert.Equal("Degraded", spool.GetProperty("status").GetString());
        var depth = ReadSpool().Count;
        Assert.Contains($"{depth} events wait in the spool", spool.GetProperty("description").GetString());
    }

    [Fact]
    public async Task An_official_account_callback_is_spooled_and_answered_success()
    {
        var openId = GatewayHost.NewId("o");
        var xml = OfficialAccountEvents.Subscribe(GatewayHost.Plain.OriginalId, openId);

        var response = await host.SendAsync(host.Simulator.BuildOaPost(GatewayHost.Plain, xml, openId), GatewayHost.PlainUrl);

        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        Assert.Single(ReadSpool(), e => e.Body.Contains(openId, StringComparison.Ordinal));
    }

    private sealed record Spooled(string Type, string EventId, string Body);

    /// <summary>The spool file as another process would read it, beside the app's own open connection.</summary>
    private List<Spooled> ReadSpool()
    {
        var file = Path.Combine(host.SpoolPath, "spool.db");
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var select = db.CreateCommand();
        select.CommandText = "SELECT type, event_id, body FROM spool ORDER BY id";
        using var reader = select.ExecuteReader();
        var events = new List<Spooled>();
        while (reader.Read())
            events.Add(new Spooled(reader.GetString(0), reader.GetString(1), System.Text.Encoding.UTF8.GetString((byte[])reader[2])));
        return events;
    }
}

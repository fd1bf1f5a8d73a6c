using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Journeys.Views;
using WecomBridge.Messaging;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Pool;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Observability;

/// <summary>
/// The catalogue of docs/metrics.md is what the scrape endpoint serves: a running app (both roles, real RabbitMQ
/// and Redis, the fakes) is driven through every path that records a metric, then its /metrics is compared with the
/// catalogue both ways, with each metric's type and label names.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsCatalogueTests
{
    private const string CorpId = "wwfakecorp0000001";
    private static readonly WeComCallbackApp Crm = new("DemoToken123", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CorpId);

    /// <summary>An event type no queue binds: its exchange sends it to the catch-all queue.</summary>
    private sealed record MetricsCatalogueUnroutedProbe(string EventId);

    [Fact]
    public async Task Every_catalogued_metric_is_served_and_every_served_wecombridge_metric_is_catalogued()
    {
        var catalogue = MetricsCatalogue.Read();
        await using var pool = await PoolDatabase.CreateAsync();
        await using var app = MetricsApp.Start(new()
        {
            // the pool in PostgreSQL: the added contact is projected, the stage pass runs every second
            ["ConnectionStrings:Postgres"] = pool.ConnectionString,
            ["Pool:Stages:PassInterval"] = "00:00:01",
            // a corp whose secret WeCom refuses: a failed token fetch and a configuration pause
            ["WeCom:Corps:broken:CorpId"] = CorpId,
            ["WeCom:Corps:broken:ContactSecret"] = "not-the-secret",
            ["Dispatch:Sweep:Interval"] = "00:00:01",
            ["Journeys:RunnerEnabled"] = "false",
        }, services => services.TryAddSingleton<IJourneyStore>(sp => new PostgresJourneyStore(sp.GetRequiredService<NpgsqlDataSource>())));
        var http = app.App.CreateClient();
        await Eventually.True(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, what: "ready");
        var simulator = new CallbackSimulator();

        // A callback with a welcome code: callbacks, dedupe, publish and intake latency, the welcome; then its copy (a dedupe hit).
        var code = app.WeCom.IssueWelcomeCode("zhangsan", "wm" + Guid.NewGuid().ToString("N")[..10]);
        var added = WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", "wmMetrics" + Guid.NewGuid().ToString("N")[..6],
            welcomeCode: code);
        var post = simulator.BuildWeComPost(Crm, added);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(post.ToHttpRequest("/callbacks/wecom/acme/crm"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(post.ToHttpRequest("/callbacks/wecom/acme/crm"))).StatusCode);
        // A correctly signed callback from an hour ago: refused, its clock skew recorded.
        var stale = simulator.BuildWeComPost(Crm, added, new CallbackStamp(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds().ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(stale.ToHttpRequest("/callbacks/wecom/acme/crm"))).StatusCode);

        // Sends: a template (permits, API calls, token refreshes), one of the broken corp (token failure, pause).
        var template = Sends.Template();
        await app.PublishAsync(template);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(template.MessageId)).State);
        await app.PublishAsync(Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = "broken" });
        // An accepted send no dispatcher took for two hours: the sweeper settles it.
        var lost = new SendStatus(Sends.NewId(), SendKinds.Template, null, null, "brand", null, SendStates.Accepted,
            DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(-2));
        await app.Services.GetRequiredService<ISendStatusStore>().AcceptAsync(lost, null, "", TimeSpan.FromHours(1));
        await app.FinishedAsync(lost.MessageId);
        // An erasure of a contact the pool never held.
        using var erase = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/pool/acme/contacts/wmNeverHeld");
        erase.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MetricsApp.Key);
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(erase)).StatusCode);
        // A journey step finished, as the journey runner records it (the due gauges read the journey store).
        app.Services.GetRequiredService<JourneyMetrics>().StepFinished("acme", "metrics-probe", StepOutcomes.Taken,
            DateTimeOffset.UtcNow.AddSeconds(-2), DateTimeOffset.UtcNow, afterWait: false);
        // An event whose exchange has no queue: kept in the catch-all.
        var probe = new MetricsCatalogueUnroutedProbe(Guid.NewGuid().ToString("N"));
        await app.Services.GetRequiredService<IMessagePublisher>().PublishAsync(probe.GetType(), probe.EventId, EventJson.Serialize(probe), default);

        var scrape = await Eventually.Get(async () => Scrape.Parse(await http.GetStringAsync("/metrics")),
            s => catalogue.Keys.All(s.Types.ContainsKey), TimeSpan.FromSeconds(30),
            what: "every catalogued metric served");
        var served = scrape.Types.Keys.Where(n => n.StartsWith("wecombridge_", StringComparison.Ordinal)).ToHashSet();

        var uncatalogued = served.Except(catalogue.Keys).Order().ToArray();
        Assert.True(uncatalogued.Length == 0, "served but not in docs/metrics.md: " + string.Join(", ", uncatalogued)
            + "\n" + string.Join("\n", scrape.Samples.Where(s => uncatalogued.Contains(scrape.FamilyOf(s.Name)))
                .Select(s => s.Name + " " + string.Join(",", s.Labels.Keys)).Distinct()));
        var missing = catalogue.Keys.Except(served).ToArray();
        Assert.True(missing.Length == 0, "catalogued but not served: " + string.Join(", ", missing));
        // Queue depths come from the broker: the unrouted probe waits in this app's catch-all, the send queue has its consumer.
        await Eventually.True(async () =>
        {
            var queues = Scrape.Parse(await http.GetStringAsync("/metrics")).Samples.Where(q => q.Labels.ContainsKey("queue")).ToArray();
            return queues.Any(q => q.Name == "wecombridge_queue_messages" && q.Labels["queue"] == app.Prefix + ".unrouted" && q.Value != "0")
                && queues.Any(q => q.Name == "wecombridge_queue_consumers" && q.Labels["queue"] == app.Prefix + "-send-requested" && q.Value != "0");
        }, what: "the catch-all's depth and the send queue's consumer");
        foreach (var (name, entry) in catalogue) Assert.True(entry.Type == scrape.Types[name], $"{name}: served as {scrape.Types[name]}");
        foreach (var (sample, labels, _) in scrape.Samples.Where(s => s.Name.StartsWith("wecombridge_", StringComparison.Ordinal)))
        {
            var entry = catalogue[scrape.FamilyOf(sample)];
            var extra = labels.Keys.Where(l => l is not "le" && !l.StartsWith("otel_scope_", StringComparison.Ordinal)).Except(entry.Labels);
            Assert.True(!extra.Any(), $"{sample} has labels the catalogue does not list: {string.Join(", ", extra)}");
            // Low cardinality: no message, contact or event id (32 hex digits, wm…/o… contact ids) in any label.
            Assert.DoesNotContain(labels.Values, v => v.Length >= 20 && v.All(char.IsAsciiHexDigit));
            Assert.DoesNotContain(labels.Values, v => v.StartsWith("wm", StringComparison.Ordinal) || v.StartsWith("oAlice", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_catalogue_lists_each_metric_once_with_a_known_type_and_a_meaning()
    {
        foreach (var entry in MetricsCatalogue.Read().Values) Assert.Contains(entry.Type, new[] { "counter", "gauge", "histogram" });
    }
}

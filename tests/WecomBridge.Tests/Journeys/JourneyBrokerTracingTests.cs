using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using WecomBridge.Contracts.Sending;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Messaging;
using WecomBridge.Observability.Tracing;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Observability.Tracing;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// One contact's trace through the real RabbitMQ and PostgreSQL: a pool event published as the gateway publishes it
/// (its callback's context in the AMQP headers) reaches the dispatcher's pool consumer, which enrols the contact; the
/// step's send command, as it lies on the broker, carries the same trace id in its `traceparent` header.
/// </summary>
public sealed class JourneyBrokerTracingTests : IAsyncLifetime
{
    private readonly string _prefix = "jtrace" + Guid.NewGuid().ToString("N")[..8];
    private PoolDatabase _database = null!;
    private ApiApp _app = null!;
    private IConnection _connection = null!;
    private IChannel _channel = null!;
    private string _tap = null!;

    public async Task InitializeAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        _app = new ApiApp(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = TestServers.RabbitMq,
            ["ConnectionStrings:Redis"] = TestServers.Redis,
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
            ["Messaging:EndpointPrefix"] = _prefix,
            ["Messaging:WaitUntilStarted"] = "true",
            ["Journeys:RunnerEnabled"] = "false",
            ["Dispatch:Defaults:QuietHours:Enabled"] = "false",
            ["Dispatch:Corps:acme:SenderTasksPerDay"] = "1000",
            ["Dispatch:Corps:acme:CustomerCap:Limit"] = "1000",
        });
        // A queue of the test's own beside the dispatcher's on this deployment's send commands: what the runner published.
        _connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync("journey-trace-tap");
        _channel = await _connection.CreateChannelAsync();
        var exchange = BridgeEntityNameFormatter.ExchangeName(typeof(SendRequested), _prefix);
        await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        _tap = (await _channel.QueueDeclareAsync(_prefix + ".tap", durable: false, exclusive: false, autoDelete: false)).QueueName;
        await _channel.QueueBindAsync(_tap, exchange, "");
    }

    public async Task DisposeAsync()
    {
        await _channel.QueueDeleteAsync(_tap);
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>The gateway's publish: the event's JSON with the callback's context as the current activity.</summary>
    private static async Task PublishAsync(object message, string eventId, string traceParent)
    {
        await using var publisher = new RabbitMqMessagePublisher(new Uri(TestServers.RabbitMq), NullLogger<RabbitMqMessagePublisher>.Instance);
        using var callback = new Activity("callback").SetParentId(traceParent).Start();
        await publisher.PublishAsync(message.GetType(), eventId, EventJson.Serialize(message), CancellationToken.None);
    }

    /// <summary>The `traceparent` of the send command on the broker for <paramref name="ext"/> (null while there is none).</summary>
    private async Task<string?> CommandTraceParentAsync(string ext)
    {
        while (await _channel.BasicGetAsync(_tap, autoAck: true) is { } message)
        {
            if (!Encoding.UTF8.GetString(message.Body.Span).Contains(ext, StringComparison.Ordinal)) continue; // another contact's
            return message.BasicProperties.Headers?.TryGetValue(TraceContext.TraceParent, out var value) == true && value is byte[] bytes
                ? Encoding.ASCII.GetString(bytes) : "";
        }
        return null;
    }

    [Fact]
    public async Task The_send_command_on_the_broker_carries_the_trace_of_the_event_that_enrolled_the_contact()
    {
        var services = _app.App.Services; // the app's own publisher and bus: the real broker
        using (var client = _app.App.CreateClient())
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", ApiApp.CrmKey);
            var response = await client.PostAsync("/api/v1/journeys/acme", new StringContent("""
                { "id": "welcome", "name": "welcome", "trigger": { "kind": "contactAdded" },
                  "steps": [ { "id": "hello", "delay": "PT0S", "action": { "kind": "customerTask", "text": "Welcome!" } } ] }
                """, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        var ext = "wm" + Guid.NewGuid().ToString("N")[..10];
        var (traceParent, traceId) = TraceTap.NewTraceParent();
        var added = PoolEvents.Added(ext, "zhangsan", 0);

        await PublishAsync(added, added.EventId, traceParent);
        var store = services.GetRequiredService<IJourneyStore>();
        var enrolment = (await Eventually.Get(() => store.HistoryAsync("acme", ext, 10), h => h.Count == 1, what: "enrolled"))[0].Enrolment;
        Assert.Equal(traceId, TraceTap.TraceIdOf(enrolment.TraceParent));
        var runner = services.GetRequiredService<JourneyRunner>();
        while (await runner.RunOnceAsync(CancellationToken.None) > 0) { } // other tests' acme contacts may be enrolled too
        Assert.Equal(StepOutcomes.Taken, Assert.Single(Assert.Single(await store.HistoryAsync("acme", ext, 10)).Steps).Outcome);

        var command = await Eventually.Get(() => CommandTraceParentAsync(ext), t => t is not null, what: "the step's send command on the broker");
        Assert.Equal(traceId, TraceTap.TraceIdOf(command));
    }
}

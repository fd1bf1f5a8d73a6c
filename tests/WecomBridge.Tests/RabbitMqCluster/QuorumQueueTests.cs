using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.Tests.Hosting;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Messaging;

namespace WecomBridge.Tests.RabbitMqCluster;

/// <summary>
/// With several nodes in Messaging:Hosts the app's own queues are quorum queues, replicated on every node; the send
/// delays dead-letter at least once into the send queue.
/// </summary>
[Collection("rabbitmq-cluster")]
public class QuorumQueueTests
{
    /// <summary>Queues (and exchanges of commands) of the test's own on the shared cluster.</summary>
    private static string NewPrefix() => "qq-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// The app on the cluster with its queues under <paramref name="prefix"/>, its bus up before its first request; no
    /// PostgreSQL: no pool queues.
    /// </summary>
    private static BridgeApp App(string prefix)
    {
        var settings = ClusterServers.Settings();
        settings["ConnectionStrings:Redis"] = TestServers.Redis;
        settings["Messaging:EndpointPrefix"] = prefix;
        settings["Enrichment:QueuePrefix"] = prefix + ".enrich.";
        settings["Messaging:WaitUntilStarted"] = "true";
        return new BridgeApp(settings);
    }

    [Fact]
    public async Task Every_queue_of_the_app_is_a_quorum_queue_on_every_node()
    {
        var prefix = NewPrefix();
        await using var app = App(prefix);
        using var client = app.CreateClient(); // starts the app once its bus (queues, bindings) is up

        var queues = await ClusterServers.QueuesAsync(prefix);
        Assert.Contains(queues, q => q.Name == prefix + "-send-requested");
        Assert.Contains(queues, q => q.Name.StartsWith(prefix + ".enrich.", StringComparison.Ordinal));
        Assert.All(queues, q =>
        {
            Assert.Equal("quorum", q.Type);
            Assert.Equal(ClusterServers.Ports.Count, q.Members);
        });
    }

    [Fact]
    public async Task A_command_that_faults_is_kept_in_an_error_queue_that_is_a_quorum_queue()
    {
        var prefix = NewPrefix();
        var app = App(prefix);
        await using var broker = await Broker.OpenAsync(ClusterServers.Uri(ClusterServers.Ports[0]));
        try
        {
            using var client = app.CreateClient(); // starts the app once its bus is up
            // A command without a message id faults at once (nothing to record it under) and MassTransit moves it aside.
            var faulty = new SendRequested("", "customer-task", "corp", null, null, DateTimeOffset.UnixEpoch);
            await broker.Channel.BasicPublishAsync("", prefix + "-send-requested", JsonSerializer.SerializeToUtf8Bytes(faulty, EventJson.Options));

            var error = await Eventually.Get(() => ClusterServers.QueuesAsync(prefix + "-send-requested_error"), q => q.Count == 1,
                TimeSpan.FromSeconds(60), "the send queue's _error queue");
            Assert.Equal("quorum", error[0].Type);
            Assert.Equal(ClusterServers.Ports.Count, error[0].Members);
            var kept = await Eventually.Get(() => broker.Channel.BasicGetAsync(prefix + "-send-requested_error", autoAck: true),
                m => m is not null, TimeSpan.FromSeconds(30), "the faulted command in the _error queue");
            Assert.Equal(faulty, JsonSerializer.Deserialize<SendRequested>(kept!.Body.Span, EventJson.Options));
        }
        finally
        {
            await app.DisposeAsync();
            // Its queues go, so that the event exchanges they are bound to do not fill them in later tests.
            foreach (var queue in await ClusterServers.QueuesAsync(prefix)) await broker.Channel.QueueDeleteAsync(queue.Name);
        }
    }

    [Fact]
    public async Task A_delayed_send_waits_in_a_quorum_tier_that_dead_letters_at_least_once_and_comes_back()
    {
        var sendQueue = "qq-delay-" + Guid.NewGuid().ToString("N")[..8] + ".send";
        await using var broker = await Broker.OpenAsync(ClusterServers.Uri(ClusterServers.Ports[0]));
        await broker.Channel.QueueDeclareAsync(sendQueue, durable: true, exclusive: false, autoDelete: false, QueueArguments.Quorum());
        await using var connection = new RabbitMqConnection(ClusterServers.Broker(), NullLogger.Instance);
        await using var scheduler = new RabbitMqSendScheduler(connection, sendQueue, quorum: true);
        var send = new SendRequested(Guid.NewGuid().ToString("N"), "customer-task", "corp", null, null, DateTimeOffset.UnixEpoch);
        try
        {
            await scheduler.ScheduleAsync(send, TimeSpan.FromSeconds(1.5), CancellationToken.None);

            var tier = Assert.Single(await ClusterServers.QueuesAsync(sendQueue + ".delay-1s"));
            Assert.Equal("quorum", tier.Type);
            Assert.Equal("at-least-once", tier.Arguments["x-dead-letter-strategy"]);
            Assert.Equal("reject-publish", tier.Arguments["x-overflow"]);
            Assert.Equal("1000", tier.Arguments["x-message-ttl"]);
            Assert.Equal(sendQueue, tier.Arguments["x-dead-letter-routing-key"]);
            var back = await Eventually.Get(() => broker.Channel.BasicGetAsync(sendQueue, autoAck: true), m => m is not null,
                TimeSpan.FromSeconds(30), "the send back on its queue");
            Assert.Equal(send.MessageId, back!.BasicProperties.MessageId);
            Assert.Equal(send, JsonSerializer.Deserialize<SendRequested>(back.Body.Span, EventJson.Options));
        }
        finally
        {
            await broker.Channel.QueueDeleteAsync(sendQueue + ".delay-1s");
            await broker.Channel.QueueDeleteAsync(sendQueue);
        }
    }

    [Fact]
    public async Task The_catch_all_of_unroutable_events_is_a_quorum_queue()
    {
        var prefix = NewPrefix();
        await using var connection = new RabbitMqConnection(ClusterServers.Broker(), NullLogger.Instance);
        var unrouted = new UnroutedEvents(prefix, NullLogger.Instance, null, quorum: true);
        await using var channel = await (await connection.OpenAsync(CancellationToken.None)).CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await unrouted.PublishAsync(channel, new ConcurrentDictionary<string, bool>(), "wecombridge.nowhere", new BasicProperties(),
                "{}"u8.ToArray(), CancellationToken.None);

            var queue = Assert.Single(await ClusterServers.QueuesAsync(unrouted.Name));
            Assert.Equal("quorum", queue.Type);
        }
        finally
        {
            await channel.QueueDeleteAsync(unrouted.Name);
            await channel.ExchangeDeleteAsync(unrouted.Name);
        }
    }

    [Fact]
    public async Task A_queue_of_another_type_stops_the_app_with_one_line_that_says_what_to_do()
    {
        var prefix = NewPrefix();
        await using var broker = await Broker.OpenAsync(ClusterServers.Uri(ClusterServers.Ports[0]));
        await broker.Channel.QueueDeclareAsync(prefix + "-send-requested", durable: true, exclusive: false, autoDelete: false); // classic
        var variables = ClusterServers.Settings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        variables["ConnectionStrings__Redis"] = TestServers.Redis;
        variables["Messaging__EndpointPrefix"] = prefix;
        variables["Enrichment__QueuePrefix"] = prefix + ".enrich.";
        variables["Polling__Moments__Enabled"] = "false";
        try
        {
            var (exitCode, line, _) = await ConfigurationTests.RunWithAsync(variables);

            Assert.Equal(1, exitCode);
            Assert.StartsWith($"WecomBridge: RabbitMQ queue '{prefix}-send-requested' exists with another type", line);
            Assert.Contains("Messaging:EndpointPrefix", line);
        }
        finally
        {
            await broker.Channel.QueueDeleteAsync(prefix + "-send-requested");
        }
    }
}

using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Messaging;

namespace WecomBridge.Tests.RabbitMqCluster;

/// <summary>
/// The app's own connection goes to another node when its node stops, and a confirm still means the event is on a
/// majority of the nodes holding its quorum queue: with the majority gone a publish is not confirmed.
/// </summary>
[Collection("rabbitmq-cluster")]
public class FailoverTests
{
    private static readonly string Exchange = BridgeEntityNameFormatter.ExchangeName(typeof(ExternalContactAdded));

    [Fact]
    public async Task The_publisher_moves_to_another_node_when_its_node_stops_and_every_event_is_kept()
    {
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        await using var queue = await BoundQueue.DeclareAsync();
        await using var connection = new RabbitMqConnection(ClusterServers.Broker(), NullLogger.Instance);
        await using var publisher = new RabbitMqMessagePublisher(connection, NullLogger<RabbitMqMessagePublisher>.Instance, "failover", quorum: true);
        foreach (var id in ids[..20]) await PublishAsync(publisher, id);
        var first = connection.Node!.Port;
        try
        {
            await ClusterServers.StopAppAsync(first);
            // As the gateway does with a publish that fails: it tries again (from its spool) until a node confirms it.
            foreach (var id in ids[20..])
                await Eventually.True(async () =>
                {
                    try { await PublishAsync(publisher, id); return true; }
                    catch (Exception e) when (e is not OperationCanceledException) { return false; }
                }, TimeSpan.FromSeconds(60), "a publish confirmed by another node");

            Assert.NotEqual(first, connection.Node!.Port);
            Assert.Contains(connection.Node.Port, ClusterServers.Ports);
        }
        finally
        {
            await ClusterServers.StartAppAsync(first);
        }
        var kept = await Eventually.Get(queue.ReadIdsAsync, k => k.Distinct().Count() == ids.Count, TimeSpan.FromSeconds(30), "every event in the queue");
        Assert.Equal(ids.Order(), kept.Distinct().Order());
    }

    [Fact]
    public async Task A_publish_is_not_confirmed_while_a_majority_of_the_nodes_is_away()
    {
        await using var queue = await BoundQueue.DeclareAsync();
        await using var connection = new RabbitMqConnection(ClusterServers.Broker(), NullLogger.Instance);
        await using var publisher = new RabbitMqMessagePublisher(connection, NullLogger<RabbitMqMessagePublisher>.Instance, "confirms", quorum: true);
        await PublishAsync(publisher, Guid.NewGuid().ToString("N"));
        var others = ClusterServers.Ports.Where(p => p != connection.Node!.Port).ToList();
        try
        {
            foreach (var port in others) await ClusterServers.StopAppAsync(port);

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var unconfirmed = await Record.ExceptionAsync(() => PublishAsync(publisher, Guid.NewGuid().ToString("N"), wait.Token));
            Assert.NotNull(unconfirmed); // never a confirm for an event one node alone holds
        }
        finally
        {
            foreach (var port in others) await ClusterServers.StartAppAsync(port);
        }
        await Eventually.True(async () =>
        {
            try { await PublishAsync(publisher, Guid.NewGuid().ToString("N")); return true; }
            catch (Exception e) when (e is not OperationCanceledException) { return false; }
        }, TimeSpan.FromSeconds(60), "confirms again once the majority is back");
    }

    private static Task PublishAsync(RabbitMqMessagePublisher publisher, string id, CancellationToken ct = default) =>
        publisher.PublishAsync(typeof(ExternalContactAdded), id, Encoding.UTF8.GetBytes($$"""{"eventId":"{{id}}"}"""), ct);

    /// <summary>A quorum queue of the test's own bound to the event exchange, read and deleted with a plain connection.</summary>
    private sealed class BoundQueue : IAsyncDisposable
    {
        private readonly string _name = "failover-" + Guid.NewGuid().ToString("N")[..8];

        public static async Task<BoundQueue> DeclareAsync()
        {
            var queue = new BoundQueue();
            await using var broker = await Broker.OpenAsync(ClusterServers.Uri(ClusterServers.Ports[0]));
            await broker.Channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await broker.Channel.QueueDeclareAsync(queue._name, durable: true, exclusive: false, autoDelete: false, QueueArguments.Quorum());
            await broker.Channel.QueueBindAsync(queue._name, Exchange, "");
            return queue;
        }

        /// <summary>The event ids of every message now in the queue (left there).</summary>
        public async Task<IReadOnlyList<string>> ReadIdsAsync()
        {
            var connection = await new ConnectionFactory { Uri = new Uri(ClusterServers.Uri(ClusterServers.Ports[0])) }
                .CreateConnectionAsync(ClusterServers.Broker().Nodes);
            await using (connection)
            await using (var channel = await connection.CreateChannelAsync())
            {
                var ids = new List<string>();
                while (await channel.BasicGetAsync(_name, autoAck: false) is { } message) ids.Add(message.BasicProperties.MessageId!);
                return ids; // unacked: back in the queue when the channel closes
            }
        }

        public async ValueTask DisposeAsync()
        {
            var connection = await new ConnectionFactory { Uri = new Uri(ClusterServers.Uri(ClusterServers.Ports[0])) }
                .CreateConnectionAsync(ClusterServers.Broker().Nodes);
            await using (connection)
            await using (var channel = await connection.CreateChannelAsync())
                await channel.QueueDeleteAsync(_name);
        }
    }
}

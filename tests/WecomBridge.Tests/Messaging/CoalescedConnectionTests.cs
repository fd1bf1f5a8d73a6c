using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Messaging;

// An event type of these tests alone.
public record CoalescedProbeSent(string Id);

/// <summary>
/// What the coalesced socket relies on in RabbitMQ.Client, pinned against a real broker: the client takes its socket
/// from ConnectionFactory.SocketFactory (so the shared connection's socket is a <see cref="CoalescingTcpClient"/>),
/// and it writes frames through the stream's WriteAsync, never the blocking Write, so that concurrent publishes go
/// out in fewer socket sends than publishes. A RabbitMQ.Client upgrade that breaks either fails here.
/// </summary>
public class CoalescedConnectionTests
{
    [Fact]
    public async Task The_shared_connection_takes_its_socket_from_the_coalescing_socket_factory()
    {
        await using var connection = new RabbitMqConnection(new Uri(TestServers.RabbitMq), NullLogger.Instance);
        await using var publisher = NewPublisher(connection);

        await publisher.PublishAsync(typeof(CoalescedProbeSent), "one", Body("one"), CancellationToken.None);

        var stream = connection.Stream;
        Assert.NotNull(stream); // RabbitMQ.Client asked our factory for its socket and our client for its stream
        Assert.True(stream.Sends > 0, "the publish did not go through the coalescing stream");
    }

    [Fact]
    public async Task RabbitMq_client_writes_through_WriteAsync_so_concurrent_publishes_take_fewer_sends_than_publishes()
    {
        await using var connection = new RabbitMqConnection(new Uri(TestServers.RabbitMq), NullLogger.Instance);
        await using var publisher = NewPublisher(connection);
        // A queue of this test's own takes the probes (an unbound exchange would send each to the catch-all too).
        await using var broker = await Broker.OpenAsync(TestServers.RabbitMq);
        var exchange = BridgeEntityNameFormatter.ExchangeName(typeof(CoalescedProbeSent));
        await broker.Channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = (await broker.Channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await broker.Channel.QueueBindAsync(queue, exchange, "");
        await publisher.PublishAsync(typeof(CoalescedProbeSent), "warm", Body("warm"), CancellationToken.None); // connect, declare
        var stream = connection.Stream!;
        var sendsBefore = stream.Sends;

        const int publishes = 2000;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = Enumerable.Range(0, publishes).Select(async i =>
        {
            await start.Task;
            await publisher.PublishAsync(typeof(CoalescedProbeSent), $"p{i}", Body($"p{i}"), CancellationToken.None);
        }).ToArray();
        start.SetResult();
        await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, stream.SynchronousWrites);
        var sends = stream.Sends - sendsBefore;
        Assert.True(sends > 0 && sends < publishes, $"{sends} socket sends for {publishes} confirmed publishes");
    }

    [Fact]
    public async Task A_new_connection_after_the_old_one_closed_gets_a_new_coalescing_socket()
    {
        await using var connection = new RabbitMqConnection(new Uri(TestServers.RabbitMq), NullLogger.Instance);
        var first = await connection.OpenAsync(CancellationToken.None);
        var firstStream = connection.Stream;
        await first.CloseAsync();

        var second = await Eventually.Get(async () =>
        {
            try { return await connection.OpenAsync(CancellationToken.None); }
            catch (BrokerUnavailableException) { return null; } // within the reconnect pause
        }, c => c is not null, what: "reconnected");

        Assert.NotSame(first, second);
        Assert.NotNull(connection.Stream);
        Assert.NotSame(firstStream, connection.Stream);
    }

    private static RabbitMqMessagePublisher NewPublisher(RabbitMqConnection connection) =>
        new(connection, NullLogger<RabbitMqMessagePublisher>.Instance, "coalesced-test-" + Guid.NewGuid().ToString("N")[..8]);

    private static byte[] Body(string id) => Encoding.UTF8.GetBytes($$"""{"id":"{{id}}"}""");
}

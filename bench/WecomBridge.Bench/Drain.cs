using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace WecomBridge.Bench;

/// <summary>
/// A consumer that takes every message of a queue while a load run fills it, as a CRM that keeps up: manual acks,
/// one per message, at most 256 unacknowledged. The broker then works as in production's steady state rather than
/// against a backlog that grows by the run's whole count.
/// </summary>
internal sealed class Drain : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private long _count;

    private Drain(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public long Count => Interlocked.Read(ref _count);

    public static async Task<Drain> StartAsync(string amqp, string queue)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-drain");
        var channel = await connection.CreateChannelAsync();
        var drain = new Drain(connection, channel);
        await channel.BasicQosAsync(0, 256, false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            Interlocked.Increment(ref drain._count);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        return drain;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}

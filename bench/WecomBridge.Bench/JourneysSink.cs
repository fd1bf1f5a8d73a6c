using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;

namespace WecomBridge.Bench;

/// <summary>
/// Stands in for the dispatchers: a queue bound to the send command exchange (as a dispatcher's is), read as fast as
/// it fills, counting commands and distinct message ids (a step sent twice would show as fewer distinct ids).
/// </summary>
internal sealed class JourneysSink : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private long _count;

    private JourneysSink(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public long Count => Interlocked.Read(ref _count);

    public int Distinct
    {
        get { lock (_ids) return _ids.Count; }
    }

    public static async Task<JourneysSink> StartAsync(string amqp, string queue)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-journeys-sink");
        var channel = await connection.CreateChannelAsync();
        var exchange = BridgeEntityNameFormatter.ExchangeName(typeof(SendRequested));
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: QueueArguments.Get());
        await channel.QueueBindAsync(queue, exchange, routingKey: "");
        await channel.QueuePurgeAsync(queue);
        var sink = new JourneysSink(connection, channel);
        await channel.BasicQosAsync(0, 500, false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            Interlocked.Increment(ref sink._count);
            lock (sink._ids) sink._ids.Add(delivery.BasicProperties.MessageId ?? "");
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}

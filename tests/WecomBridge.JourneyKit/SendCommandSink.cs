using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;

namespace WecomBridge.JourneyKit;

/// <summary>
/// A queue of its own bound to the send command exchange (of the endpoint prefix given, as a dispatcher's queue is),
/// read as fast as it fills: every command the runners handed to the dispatchers, counted with their distinct message
/// ids (a step sent twice under two ids would show as more ids than steps; a send repeated under its id, as a copy).
/// </summary>
internal sealed class SendCommandSink : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly bool _deleteQueue;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private long _count;

    private SendCommandSink(IConnection connection, IChannel channel, string queue, bool deleteQueue) =>
        (_connection, _channel, _queue, _deleteQueue) = (connection, channel, queue, deleteQueue);

    public long Count => Interlocked.Read(ref _count);

    public int Distinct
    {
        get { lock (_ids) return _ids.Count; }
    }

    /// <summary>Commands beyond the first of their message id.</summary>
    public long Copies => Count - Distinct;

    public IReadOnlySet<string> Ids
    {
        get { lock (_ids) return new HashSet<string>(_ids, StringComparer.Ordinal); }
    }

    /// <summary>
    /// Binds <paramref name="queue"/> (emptied first; deleted on dispose when <paramref name="deleteQueue"/>) to the
    /// send commands of <paramref name="prefix"/> (null: the app's default) and starts reading.
    /// </summary>
    public static async Task<SendCommandSink> StartAsync(string amqp, string queue, string? prefix = null,
        IDictionary<string, object?>? arguments = null, bool deleteQueue = false)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("journey-send-sink");
        var channel = await connection.CreateChannelAsync();
        var exchange = prefix is null
            ? BridgeEntityNameFormatter.ExchangeName(typeof(SendRequested))
            : BridgeEntityNameFormatter.ExchangeName(typeof(SendRequested), prefix);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments);
        await channel.QueueBindAsync(queue, exchange, routingKey: "");
        await channel.QueuePurgeAsync(queue);
        var sink = new SendCommandSink(connection, channel, queue, deleteQueue);
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
        if (_deleteQueue) await _channel.QueueDeleteAsync(_queue);
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}

using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace WecomBridge.Tests.Infrastructure;

/// <summary>
/// A durable queue of the test's own on an event exchange, read with a plain AMQP client. It survives a
/// broker restart, so drills can count what arrived before, during and after.
/// </summary>
public sealed class AmqpTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly List<JsonElement> _messages = [];

    private AmqpTap(IConnection connection, IChannel channel, string queue) =>
        (_connection, _channel, _queue) = (connection, channel, queue);

    public string Queue => _queue;

    /// <summary>
    /// Declares and binds the queue (a new one unless <paramref name="queue"/> names an existing one), with
    /// <paramref name="arguments"/> (e.g. a quorum queue on a cluster).
    /// </summary>
    public static async Task<AmqpTap> BindAsync(string brokerUri, string exchange, string? queue = null, IDictionary<string, object?>? arguments = null)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(brokerUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        queue ??= "test.tap." + Guid.NewGuid().ToString("N")[..12];
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments);
        await channel.QueueBindAsync(queue, exchange, "");
        return new AmqpTap(connection, channel, queue);
    }

    /// <summary>Reads what is on the queue now; returns every message read so far (bodies as JSON).</summary>
    public async Task<IReadOnlyList<JsonElement>> ReadAsync()
    {
        while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } message)
            _messages.Add(JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement.Clone());
        return _messages;
    }

    /// <summary>Closes the connection; the queue stays unless <paramref name="deleteQueue"/>.</summary>
    public async Task CloseAsync(bool deleteQueue)
    {
        if (deleteQueue)
            try { await _channel.QueueDeleteAsync(_queue); } catch (Exception) { /* the broker may be gone */ }
        try { await _channel.DisposeAsync(); await _connection.DisposeAsync(); } catch (Exception) { /* idem */ }
    }

    public async ValueTask DisposeAsync() => await CloseAsync(deleteQueue: true);
}

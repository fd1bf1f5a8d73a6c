using System.Text;
using RabbitMQ.Client;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// A plain AMQP consumer (no MassTransit): an exclusive queue bound to the given event exchanges, read with
/// BasicGet. The shared broker carries every test's events, so messages are picked by a unique token in the body.
/// </summary>
public sealed class EventQueue : IAsyncDisposable
{
    private readonly List<Received> _received = [];
    private IConnection _connection = null!;
    private IChannel _channel = null!;
    private string _queue = null!;

    public sealed record Received(string Body, string? Type, string? MessageId, string? ContentType, bool Persistent);

    public static async Task<EventQueue> OpenAsync(params Type[] records)
    {
        var queue = new EventQueue();
        queue._connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        queue._channel = await queue._connection.CreateChannelAsync();
        queue._queue = (await queue._channel.QueueDeclareAsync(exclusive: true)).QueueName;
        foreach (var record in records)
        {
            var exchange = BridgeEntityNameFormatter.ExchangeName(record);
            await queue._channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await queue._channel.QueueBindAsync(queue._queue, exchange, "");
        }
        return queue;
    }

    /// <summary>Every message read so far whose body holds the token.</summary>
    public IReadOnlyList<Received> With(string token) => _received.Where(m => m.Body.Contains(token, StringComparison.Ordinal)).ToList();

    /// <summary>Reads until a message holding the token has arrived (bounded), and returns the first such one.</summary>
    public async Task<Received> WaitForAsync(string token, TimeSpan? within = null)
    {
        await Eventually.True(async () =>
        {
            await DrainAsync();
            return With(token).Count > 0;
        }, within ?? TimeSpan.FromSeconds(15), $"an event holding {token}");
        return With(token)[0];
    }

    /// <summary>
    /// Proves that nothing holding <paramref name="token"/> was published: every earlier publish was confirmed
    /// before its callback was answered, so once the later <paramref name="sentinel"/> event is here, any such
    /// message would be here too.
    /// </summary>
    public async Task AssertNoneAsync(string token, string sentinel)
    {
        await WaitForAsync(sentinel);
        Assert.Empty(With(token));
    }

    private async Task DrainAsync()
    {
        while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } message)
        {
            var p = message.BasicProperties;
            _received.Add(new Received(Encoding.UTF8.GetString(message.Body.Span), p.Type, p.MessageId, p.ContentType, p.Persistent));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Enrichment;

/// <summary>
/// A plain AMQP reader (no MassTransit) of an exchange or an existing queue: an exclusive queue of its own bound to
/// the record's exchange, or BasicGet on a named queue (e.g. an _error queue). Messages are picked by a predicate,
/// since the shared broker carries every test's events.
/// </summary>
public sealed class ExchangeReader : IAsyncDisposable
{
    private readonly List<(JsonElement Body, IReadOnlyBasicProperties Properties)> _read = [];
    private IConnection _connection = null!;
    private IChannel _channel = null!;
    private string _queue = null!;

    public static async Task<ExchangeReader> BindAsync(Type record)
    {
        var reader = await ConnectAsync();
        var exchange = BridgeEntityNameFormatter.ExchangeName(record);
        reader._queue = (await reader._channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await reader._channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        await reader._channel.QueueBindAsync(reader._queue, exchange, "");
        return reader;
    }

    /// <summary>Reads a named queue (e.g. an endpoint's _error queue); what it reads is acked and kept here.</summary>
    public static async Task<ExchangeReader> OpenQueueAsync(string queue)
    {
        var reader = await ConnectAsync();
        // MassTransit makes an _error queue on the first fault; declaring it first (same arguments) is harmless.
        reader._queue = (await reader._channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false)).QueueName;
        return reader;
    }

    private static async Task<ExchangeReader> ConnectAsync()
    {
        var reader = new ExchangeReader();
        reader._connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        reader._channel = await reader._connection.CreateChannelAsync();
        return reader;
    }

    /// <summary>Reads until a message matches (bounded) and returns it with its AMQP properties.</summary>
    public async Task<(JsonElement Body, IReadOnlyBasicProperties Properties)> WaitForAsync(Func<JsonElement, bool> match, string what)
    {
        await Eventually.True(async () =>
        {
            while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } message)
                _read.Add((JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement.Clone(), message.BasicProperties));
            return _read.Any(m => match(m.Body));
        }, TimeSpan.FromSeconds(30), what);
        return _read.First(m => match(m.Body));
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

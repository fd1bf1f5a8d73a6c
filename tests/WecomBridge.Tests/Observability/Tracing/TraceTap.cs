using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Observability.Tracing;

/// <summary>
/// An exclusive queue on event exchanges that keeps each message's body and `traceparent` header (plain AMQP, as a CRM
/// reads them). The broker is shared: messages are picked by a token of the test's own in their body.
/// </summary>
public sealed class TraceTap : IAsyncDisposable
{
    private readonly List<(string Body, string? TraceParent)> _received = [];
    private IConnection _connection = null!;
    private IChannel _channel = null!;
    private string _queue = null!;

    public static async Task<TraceTap> OpenAsync(params Type[] records)
    {
        var tap = new TraceTap();
        tap._connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        tap._channel = await tap._connection.CreateChannelAsync();
        tap._queue = (await tap._channel.QueueDeclareAsync(exclusive: true)).QueueName;
        foreach (var record in records)
        {
            var exchange = BridgeEntityNameFormatter.ExchangeName(record);
            await tap._channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await tap._channel.QueueBindAsync(tap._queue, exchange, "");
        }
        return tap;
    }

    /// <summary>The `traceparent` of the first message holding <paramref name="token"/> (null when it carried none).</summary>
    public async Task<string?> TraceParentOfAsync(string token, TimeSpan? within = null)
    {
        await Eventually.True(async () =>
        {
            while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } message)
            {
                var header = message.BasicProperties.Headers is { } h && h.TryGetValue("traceparent", out var v) && v is byte[] b
                    ? Encoding.UTF8.GetString(b) : null;
                _received.Add((Encoding.UTF8.GetString(message.Body.Span), header));
            }
            return _received.Any(m => m.Body.Contains(token, StringComparison.Ordinal));
        }, within ?? TimeSpan.FromSeconds(30), $"a message holding {token}");
        return _received.First(m => m.Body.Contains(token, StringComparison.Ordinal)).TraceParent;
    }

    /// <summary>The trace id of a `traceparent` value.</summary>
    public static string? TraceIdOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;

    /// <summary>A fresh, valid `traceparent` (sampled) and its trace id.</summary>
    public static (string TraceParent, string TraceId) NewTraceParent()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        return ($"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01", traceId);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using RabbitMQ.Client;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Dispatcher;

namespace WecomBridge.Messaging;

/// <summary>
/// Durable delay queues `{sendQueue}.delay-{n}s`, each with one message TTL, dead-lettering into the send queue
/// through the default exchange. One TTL per queue means no message waits behind a longer one. A delay goes to the
/// longest tier that fits; the dispatcher sees the rest is still to wait (the status keeps DeferredUntil) and
/// schedules again. Publishes are persistent and confirmed. The queue names, TTL tiers and dead-letter arguments are
/// what deployed brokers hold: a queue redeclared with other arguments fails (406), so they never change.
/// One confirmed channel on the shared <see cref="RabbitMqConnection"/>.
/// </summary>
internal sealed class RabbitMqSendScheduler(RabbitMqConnection connection, string sendQueue) : ISendScheduler, IAsyncDisposable
{
    private static readonly int[] TierSeconds = [1, 5, 30, 120, 600, 3600];

    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly ConcurrentDictionary<int, bool> _declared = new();
    private IChannel? _channel;

    public static string QueueOf(string sendQueue, int seconds) => $"{sendQueue}.delay-{seconds}s";

    public static int TierFor(TimeSpan delay) => TierSeconds.LastOrDefault(s => s <= delay.TotalSeconds, TierSeconds[0]);

    public async Task ScheduleAsync(SendRequested send, TimeSpan delay, CancellationToken ct)
    {
        var tier = TierFor(delay);
        var channel = await ChannelAsync(ct);
        var queue = QueueOf(sendQueue, tier);
        if (!_declared.ContainsKey(tier))
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
            {
                ["x-message-ttl"] = tier * 1000,
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = sendQueue,
            }, cancellationToken: ct);
            _declared[tier] = true;
        }
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            Type = nameof(SendRequested),
            MessageId = send.MessageId,
            Headers = Observability.Tracing.TraceContext.Inject(null), // the send's trace goes on after the delay
        };
        await channel.BasicPublishAsync("", queue, mandatory: false, properties, EventJson.Serialize(send), ct); // returns once confirmed
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true } open) return open;
        var opened = await connection.OpenAsync(ct);
        await _opening.WaitAsync(ct);
        try
        {
            if (_channel is { IsOpen: true } again) return again;
            if (_channel is not null) try { await _channel.DisposeAsync(); } catch (Exception) { /* already gone */ }
            _declared.Clear();
            _channel = await opened.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            return _channel;
        }
        finally
        {
            _opening.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null) try { await _channel.DisposeAsync(); } catch (Exception) { /* already gone */ }
    }
}

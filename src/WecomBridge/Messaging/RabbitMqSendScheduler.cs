using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Dispatcher;

namespace WecomBridge.Messaging;

/// <summary>
/// Durable delay queues `{sendQueue}.delay-{n}s`, each with one message TTL, dead-lettering into the send queue
/// through the default exchange. One TTL per queue means no message waits behind a longer one. A delay goes to the
/// longest tier that fits; the dispatcher sees the rest is still to wait (the status keeps DeferredUntil) and
/// schedules again. Publishes are persistent and confirmed. The queue names, TTL tiers and dead-letter arguments are
/// what deployed brokers hold: a queue redeclared with other arguments fails (406), so they never change.
/// With quorum queues (Messaging:QueueType) the tiers are quorum queues that dead-letter at least once (the message
/// leaves the delay queue only once the send queue confirmed it; at-least-once needs `x-overflow: reject-publish`),
/// so a send waiting out its delay survives the loss of a node; a classic tier dead-letters at most once.
/// One confirmed channel on the shared <see cref="RabbitMqConnection"/>.
/// </summary>
internal sealed class RabbitMqSendScheduler(RabbitMqConnection connection, string sendQueue, bool quorum = false) : ISendScheduler, IAsyncDisposable
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
            try
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, ArgumentsOf(sendQueue, tier, quorum),
                    cancellationToken: ct);
            }
            catch (OperationInterruptedException e) when (QueueTypeMismatch.Describe(e) is { } reason)
            {
                throw new InvalidOperationException(reason, e);
            }
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

    /// <summary>The arguments a tier queue is declared with (those of a deployed broker: they never change).</summary>
    public static Dictionary<string, object?> ArgumentsOf(string sendQueue, int seconds, bool quorum)
    {
        var arguments = new Dictionary<string, object?>
        {
            ["x-message-ttl"] = seconds * 1000,
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = sendQueue,
        };
        return quorum ? QueueArguments.Quorum(arguments, deadLettersAtLeastOnce: true) : arguments;
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

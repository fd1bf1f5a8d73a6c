using System.Collections.Concurrent;
using RabbitMQ.Client;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;

namespace WecomBridge.Dispatch.Sending;

/// <summary>
/// Durable delay queues `{sendQueue}.delay-{n}s`, each with one message TTL, dead-lettering into the send queue
/// through the default exchange. One TTL per queue means no message waits behind a longer one. A delay goes to the
/// longest tier that fits; the dispatcher sees the rest is still to wait (the status keeps DeferredUntil) and
/// schedules again. Publishes are persistent and confirmed.
/// </summary>
internal sealed class RabbitMqSendScheduler(Uri amqp, string sendQueue) : ISendScheduler, IAsyncDisposable
{
    private static readonly int[] TierSeconds = [1, 5, 30, 120, 600, 3600];

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentDictionary<int, bool> _declared = new();
    private IConnection? _connection;
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
        };
        await channel.BasicPublishAsync("", queue, mandatory: false, properties, EventJson.Serialize(send), ct); // returns once confirmed
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true } open) return open;
        await _connecting.WaitAsync(ct);
        try
        {
            if (_channel is { IsOpen: true } again) return again;
            if (_connection is not { IsOpen: true })
            {
                if (_connection is not null) await _connection.DisposeAsync();
                _connection = await new ConnectionFactory { Uri = amqp }.CreateConnectionAsync("wecombridge-send-delays", ct);
            }
            _declared.Clear();
            _channel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            return _channel;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null) await _channel.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WecomBridge.Messaging;

namespace WecomBridge.DeadLetters;

/// <summary>
/// Moves the messages of this instance's `{queue}_error` queues into the dead-letter store, where operators list,
/// inspect, replay or discard them (RabbitMQ offers no way to browse a queue without taking its messages). Each message is
/// taken with basic.get, stored, and acked only once stored: a collector that dies in between leaves it on the broker,
/// and the next take stores it under the same stable id (a no-op). A full store nacks it back to the head of its
/// queue and stops collecting that queue until the next poll: nothing is lost, the broker keeps the overflow.
/// Competing instances are safe: a message is taken by one at a time.
/// </summary>
internal sealed partial class DeadLetterCollector(RabbitMqConnection connection, DeadLetterQueues queues, IDeadLetterStore store,
    IOptions<DeadLetterOptions> options, TimeProvider clock, ILogger<DeadLetterCollector> logger) : BackgroundService
{
    private const int Batch = 100;
    private const int MissingPolls = 6;
    private readonly ConcurrentDictionary<string, int> _missing = new(StringComparer.Ordinal);
    private IChannel? _channel;
    private long _lastFullWarning = long.MinValue;

    /// <summary>Messages each `_error` queue held at this instance's last look (taken ones excluded).</summary>
    public ConcurrentDictionary<string, long> Waiting { get; } = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                foreach (var queue in queues.Names) more |= await CollectAsync(queue, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.PassFailed(logger, e.GetType().Name);
            }
            if (more) continue;
            try { await Task.Delay(options.Value.PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One batch of one queue's dead letters; true when it may hold more.</summary>
    private async Task<bool> CollectAsync(string queue, CancellationToken ct)
    {
        var errorQueue = queue + DeadLetter.ErrorSuffix;
        if (_missing.TryGetValue(errorQueue, out var skip) && skip > 0)
        {
            _missing[errorQueue] = skip - 1;
            return false;
        }
        var channel = await ChannelAsync(ct);
        try
        {
            var declared = await channel.QueueDeclarePassiveAsync(errorQueue, ct);
            _missing.TryRemove(errorQueue, out _);
            Waiting[errorQueue] = declared.MessageCount;
            if (declared.MessageCount == 0) return false;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            _missing[errorQueue] = MissingPolls; // no consumer of it faulted yet: MassTransit declares it on the first fault
            return false;
        }
        for (var i = 0; i < Batch; i++)
        {
            var got = await channel.BasicGetAsync(errorQueue, autoAck: false, ct);
            if (got is null) return false;
            Waiting[errorQueue] = got.MessageCount;
            var result = await store.AddAsync(Letter(queue, got));
            if (result == StoreResult.Full)
            {
                await channel.BasicNackAsync(got.DeliveryTag, multiple: false, requeue: true, ct);
                WarnFull(errorQueue);
                return false;
            }
            await channel.BasicAckAsync(got.DeliveryTag, multiple: false, ct);
            if (result == StoreResult.Added) Log.Collected(logger, queue, got.BasicProperties.MessageId);
        }
        return true;
    }

    private DeadLetter Letter(string queue, BasicGetResult got)
    {
        var p = got.BasicProperties;
        var headers = p.Headers;
        var faultedText = AmqpHeaders.Text(headers, AmqpHeaders.FaultPrefix + "Timestamp");
        var now = clock.GetUtcNow();
        return new DeadLetter(
            DeadLetter.StableId(queue + DeadLetter.ErrorSuffix, p.MessageId, faultedText, got.Body.Span), queue,
            p.Type ?? AmqpHeaders.Text(headers, AmqpHeaders.FaultPrefix + "MessageType"), p.MessageId, p.CorrelationId, p.ContentType,
            AmqpHeaders.Text(headers, AmqpHeaders.FaultPrefix + "ExceptionType"), AmqpHeaders.Text(headers, AmqpHeaders.FaultPrefix + "Message"),
            AmqpHeaders.Text(headers, AmqpHeaders.FaultPrefix + "ConsumerType"),
            DateTimeOffset.TryParse(faultedText, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : now, now,
            AmqpHeaders.Kept(headers), got.Body.ToArray());
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true } open) return open;
        if (_channel is not null) try { await _channel.DisposeAsync(); } catch (Exception) { /* already gone */ }
        var opened = await connection.OpenAsync(ct);
        return _channel = await opened.CreateChannelAsync(cancellationToken: ct);
    }

    private void WarnFull(string errorQueue)
    {
        var now = Environment.TickCount64;
        if (_lastFullWarning != long.MinValue && now - _lastFullWarning < 60_000) return;
        _lastFullWarning = now;
        Log.StoreFull(logger, errorQueue, options.Value.MaxMessages, options.Value.MaxBytes);
    }

    public override void Dispose()
    {
        _channel?.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Dead letter collected from {Queue}_error (message {MessageId})")]
        public static partial void Collected(ILogger logger, string queue, string? messageId);

        [LoggerMessage(2, LogLevel.Warning,
            "Dead-letter store full ({MaxMessages} messages or {MaxBytes} bytes): {ErrorQueue} keeps the rest on the broker "
            + "until some are replayed or discarded")]
        public static partial void StoreFull(ILogger logger, string errorQueue, int maxMessages, long maxBytes);

        [LoggerMessage(3, LogLevel.Warning, "Collecting dead letters failed ({Error}); retrying")]
        public static partial void PassFailed(ILogger logger, string error);
    }
}

using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Api;
using WecomBridge.Messaging;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Sweep;

namespace WecomBridge.Sending.Api;

/// <summary>
/// Puts an accepted message's command on the broker, waiting at most SendApi:PublishTimeout for the confirm. When
/// the broker cannot take it, the status becomes failed with reason <see cref="NotQueued"/>: nothing will send it,
/// and a repeat of the request with the same Idempotency-Key queues it again. A confirm that comes after the timeout
/// is no failure once a dispatcher has the message: then the answer is its state.
/// </summary>
internal sealed partial class SendQueue(
    IMessagePublisher publisher, ISendStatusStore store, IOptionsMonitor<SendApiOptions> options, TimeProvider time, ILogger<SendQueue> logger)
{
    public const string NotQueued = "not queued";

    /// <summary>
    /// How long a repeat of the request (same Idempotency-Key) leaves a still-accepted message to the request that
    /// accepted it: by then that one has queued it or marked it not queued, or died (then the repeat queues it).
    /// </summary>
    public TimeSpan RequeueHold => options.CurrentValue.PublishTimeout + TimeSpan.FromSeconds(30);

    /// <summary>
    /// Queued: the broker confirmed, or a dispatcher already took the message (a confirm that came after the timeout):
    /// answer with the status returned. NotQueued: marked failed, nothing will send it. Unknown: the broker did not
    /// confirm and the status could not be read or marked.
    /// </summary>
    public async Task<(QueueOutcome Outcome, SendStatus Status)> TryQueueAsync(SendStatus status, object command)
    {
        var timeout = options.CurrentValue.PublishTimeout;
        using var giveUp = new CancellationTokenSource(timeout, time);
        try
        {
            await publisher.PublishAsync(command.GetType(), status.MessageId, EventJson.Serialize(command), giveUp.Token)
                .WaitAsync(timeout, time);
            Log.Queued(logger, status.MessageId, status.Kind);
            return (QueueOutcome.Queued, status);
        }
        catch (Exception e)
        {
            Log.NotConfirmed(logger, status.MessageId, status.Kind, e.GetType().Name);
        }
        try
        {
            // Not the client's token: once accepted, the message is queued or marked failed even if the client went away.
            // Only while it is still accepted: a confirm that came after the timeout may already have let a dispatcher
            // take it, and a "not queued" over its state would let a repeat of the request send it twice.
            var failed = status with { State = SendStates.Failed, Reason = NotQueued, UpdatedAt = time.GetUtcNow() };
            if (await store.SaveIfAsync(failed, SendStates.Accepted)) return (QueueOutcome.NotQueued, failed);
            var current = await store.GetAsync(status.MessageId) ?? status;
            Log.TakenAfterAll(logger, status.MessageId, current.State);
            return (QueueOutcome.Queued, current);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return (QueueOutcome.Unknown, status);
        }
    }

    /// <summary>
    /// A repeated request finds its message never queued, still accepted (its first request may have died before
    /// publishing), or failed as lost by the sweeper (nothing sent it): it publishes it again once it wins
    /// <see cref="ISendStatusStore.TakeRequeueAsync"/>; the dispatcher dedupes by id.
    /// </summary>
    public static bool NeedsRequeue(SendStatus status) =>
        status.State == SendStates.Accepted || status is { State: SendStates.Failed, Reason: NotQueued }
        || status is { State: SendStates.Failed, Reason: { } reason } && reason.StartsWith(SendSweep.Lost, StringComparison.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Message {MessageId} ({Kind}) queued")]
        public static partial void Queued(ILogger logger, string messageId, string kind);

        [LoggerMessage(2, LogLevel.Warning, "Message {MessageId} ({Kind}): the broker did not confirm it ({Error})")]
        public static partial void NotConfirmed(ILogger logger, string messageId, string kind, string error);

        [LoggerMessage(3, LogLevel.Information, "Message {MessageId}: its confirm came late; a dispatcher already has it ({State})")]
        public static partial void TakenAfterAll(ILogger logger, string messageId, string state);
    }
}

internal enum QueueOutcome { Queued, NotQueued, Unknown }

using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Messaging;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Sweep;

namespace WecomBridge.Sending.Api;

/// <summary>
/// Puts an accepted message's command on the broker, waiting at most SendApi:PublishTimeout for the confirm. When
/// the broker cannot take it, the status becomes failed with reason <see cref="NotQueued"/>: nothing will send it,
/// and a repeat of the request with the same Idempotency-Key queues it again.
/// </summary>
internal sealed partial class SendQueue(
    IMessagePublisher publisher, ISendStatusStore store, IOptionsMonitor<SendApiOptions> options, TimeProvider time, ILogger<SendQueue> logger)
{
    public const string NotQueued = "not queued";

    public async Task<bool> TryQueueAsync(SendStatus status, object command)
    {
        var timeout = options.CurrentValue.PublishTimeout;
        using var giveUp = new CancellationTokenSource(timeout, time);
        try
        {
            await publisher.PublishAsync(command.GetType(), status.MessageId, EventJson.Serialize(command), giveUp.Token)
                .WaitAsync(timeout, time);
            Log.Queued(logger, status.MessageId, status.Kind);
            return true;
        }
        catch (Exception e)
        {
            // Not the client's token: once accepted, the message is queued or marked failed even if the client went away.
            // Only while it is still accepted: a confirm that came after the timeout may already have let a dispatcher
            // take it, and a "not queued" over its state would let a repeat of the request send it twice.
            Log.NotQueued(logger, status.MessageId, status.Kind, e.GetType().Name);
            await store.SaveIfAsync(status with { State = SendStates.Failed, Reason = NotQueued, UpdatedAt = time.GetUtcNow() }, SendStates.Accepted);
            return false;
        }
    }

    /// <summary>
    /// A repeated request finds its message still accepted, never queued, or failed as lost by the sweeper (nothing
    /// sent it): publish it again; the dispatcher dedupes by id.
    /// </summary>
    public static bool NeedsRequeue(SendStatus status) =>
        status.State == SendStates.Accepted || status is { State: SendStates.Failed, Reason: NotQueued }
        || status is { State: SendStates.Failed, Reason: { } reason } && reason.StartsWith(SendSweep.Lost, StringComparison.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Message {MessageId} ({Kind}) queued")]
        public static partial void Queued(ILogger logger, string messageId, string kind);

        [LoggerMessage(2, LogLevel.Warning, "Message {MessageId} ({Kind}) not queued: the broker did not confirm it ({Error})")]
        public static partial void NotQueued(ILogger logger, string messageId, string kind, string error);
    }
}

using System.Collections.Concurrent;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.Observability;
using WecomBridge.Sending.Audience;
using WecomBridge.Sending.Errors;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>
/// Records an outcome in the shared status, then publishes its result event (raw JSON, confirmed). The status is
/// written first: a redelivered command finds it finished and publishes the event again (<see cref="AnnounceAsync"/>),
/// so an event lost with a broker outage is not lost for good. Event ids derive from the message id and the outcome.
/// An outcome whose status could not be written (Redis away, or back empty) is kept in this process until it is:
/// the command is tried again in place, or held by its consumer, and must find it, not claim the message and send again.
/// A status that carries a claim's owner is stored only while that claim holds (<see cref="LeaseLostException"/>).
/// </summary>
internal sealed class SendResults(ISendStatusStore store, IMessagePublisher events, TimeProvider time, BridgeMetrics? metrics = null,
    IAudienceLedger? audiences = null, SendErrorHistory? errors = null)
{
    private readonly ConcurrentDictionary<string, SendStatus> _unsaved = new(StringComparer.Ordinal);

    /// <summary>Whether this process holds an outcome of the message that it could not store yet.</summary>
    public bool HasUnsaved(string messageId) => _unsaved.ContainsKey(messageId);

    /// <summary>
    /// When an earlier try of this message in this process reached an outcome it could not store, stores and
    /// announces that outcome now and answers true: the caller does nothing else (above all, no second call).
    /// </summary>
    public async Task<bool> FinishUnsavedAsync(string messageId)
    {
        if (!_unsaved.TryGetValue(messageId, out var done)) return false;
        await FinishAsync(done);
        return true;
    }

    public async Task SentAsync(SendStatus status, CallResult result, IReadOnlyList<string> skipped)
    {
        var done = status with
        {
            State = SendStates.Sent, UpdatedAt = time.GetUtcNow(), MsgId = result.MsgId, ErrCode = null, Reason = null,
            DeferredUntil = null, FailedRecipients = result.FailedRecipients, SkippedRecipients = skipped,
        };
        await FinishAsync(done);
    }

    public async Task FailedAsync(SendStatus status, int? errCode, string reason, IReadOnlyList<string>? skipped = null)
    {
        var done = status with
        {
            State = SendStates.Failed, UpdatedAt = time.GetUtcNow(), ErrCode = errCode, Reason = reason, DeferredUntil = null,
            SkippedRecipients = skipped ?? status.SkippedRecipients,
        };
        await FinishAsync(done);
    }

    public async Task AmbiguousAsync(SendStatus status, string reason)
    {
        var done = status with { State = SendStates.Ambiguous, UpdatedAt = time.GetUtcNow(), Reason = reason, DeferredUntil = null };
        await FinishAsync(done);
    }

    /// <summary>Never sent: <see cref="SendDrops.Expired"/> past its NotAfter (a cancel is stored by the API's compare-and-set).</summary>
    public async Task DroppedAsync(SendStatus status, string reason)
    {
        var done = status with { State = SendStates.Dropped, UpdatedAt = time.GetUtcNow(), Reason = reason, DeferredUntil = null };
        await FinishAsync(done);
    }

    private async Task FinishAsync(SendStatus done)
    {
        bool saved;
        try
        {
            saved = await store.SaveAsync(done);
        }
        catch
        {
            _unsaved[done.MessageId] = done; // kept only when the store refused it: the common path does not touch it
            throw;
        }
        _unsaved.TryRemove(new KeyValuePair<string, SendStatus>(done.MessageId, done));
        // Another instance took the send over (this one's lease had ended): its outcome is that instance's to record.
        if (!saved) throw new LeaseLostException(done.MessageId);
        metrics?.Finished(done);
        if (errors is not null) await errors.RecordAsync(done); // failed and ambiguous only; never throws
        await AnnounceAsync(done);
    }

    /// <summary>Stores the deferral (so that a redelivery knows to wait) and announces it.</summary>
    public async Task<SendStatus> DeferredAsync(SendStatus status, DateTimeOffset until, string reason, bool announce)
    {
        var now = time.GetUtcNow();
        var waiting = status with { State = SendStates.Deferred, UpdatedAt = now, DeferredUntil = until, Reason = reason };
        if (!await store.SaveAsync(waiting)) throw new LeaseLostException(status.MessageId);
        await AudienceTaskAsync(waiting);
        if (announce)
        {
            var eventId = EventId(status.MessageId, $"deferred:{until.UtcTicks}");
            await PublishAsync(eventId, new MessageDeferred(eventId, status.MessageId, status.Kind, status.Corp, status.App, status.Account,
                now, until, reason));
        }
        return waiting;
    }

    /// <summary>
    /// Publishes the result event of a finished status (again, after a redelivery: the same event id); a task of an
    /// audience also records its outcome in the audience's progress (again: the same value).
    /// </summary>
    public async Task AnnounceAsync(SendStatus s)
    {
        await AudienceTaskAsync(s);
        await EventOf(s);
    }

    private Task AudienceTaskAsync(SendStatus s) => audiences is not null && AudienceTasks.ParentOf(s.MessageId) is { } parent
        ? audiences.SetAsync(parent, [AudienceProgress.TaskOutcome(s)]) : Task.CompletedTask;

    private Task EventOf(SendStatus s)
    {
        var id = EventId(s.MessageId, s.State);
        return s.State switch
        {
            SendStates.Sent => PublishAsync(id, new MessageSent(id, s.MessageId, s.Kind, s.Corp, s.App, s.Account, s.UpdatedAt, s.MsgId,
                s.FailedRecipients ?? [], s.SkippedRecipients ?? [])),
            SendStates.Failed => PublishAsync(id, new MessageFailed(id, s.MessageId, s.Kind, s.Corp, s.App, s.Account, s.UpdatedAt, s.ErrCode,
                s.Reason ?? "failed", s.Attempts)),
            SendStates.Ambiguous => PublishAsync(id, new MessageOutcomeUnknown(id, s.MessageId, s.Kind, s.Corp, s.App, s.Account, s.UpdatedAt,
                s.Reason ?? "outcome unknown")),
            SendStates.Dropped => PublishAsync(id, new MessageDropped(id, s.MessageId, s.Kind, s.Corp, s.App, s.Account, s.UpdatedAt,
                s.Reason ?? SendDrops.Cancelled)),
            _ => Task.CompletedTask,
        };
    }

    private Task PublishAsync<T>(string eventId, T message) where T : notnull =>
        events.PublishAsync(typeof(T), eventId, EventJson.Serialize(message), CancellationToken.None);

    private static string EventId(string messageId, string outcome) => EventIds.Of($"send:{messageId}:{outcome}");
}

/// <summary>The retry budget of a send is spent: MassTransit moves the command to the send queue's `_error` queue with this reason.</summary>
internal sealed class SendDeadLetteredException(string messageId, string reason)
    : Exception($"send {messageId} dead-lettered: {reason}");

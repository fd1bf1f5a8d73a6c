namespace WecomBridge.Sending.Status;

internal sealed partial class InMemorySendStatusStore(TimeProvider time) : ISendStatusStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SendStatus> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _requeueHolds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string MessageId, string Hash, DateTimeOffset Expires)> _keys = new(StringComparer.Ordinal);

    public Task<AcceptResult> AcceptAsync(SendStatus status, string? idempotencyKey, string requestHash, TimeSpan keyLifetime,
        TimeSpan requeueHold = default)
    {
        lock (_gate)
        {
            if (idempotencyKey is not null)
            {
                if (_keys.TryGetValue(idempotencyKey, out var first) && first.Expires > time.GetUtcNow())
                {
                    _messages.TryAdd(first.MessageId, status with { MessageId = first.MessageId });
                    return Task.FromResult(new AcceptResult(first.MessageId, false, first.Hash == requestHash));
                }
                _keys[idempotencyKey] = (status.MessageId, requestHash, time.GetUtcNow() + keyLifetime);
                _requeueHolds[status.MessageId] = status.UpdatedAt + requeueHold;
            }
            _messages[status.MessageId] = status;
            return Task.FromResult(new AcceptResult(status.MessageId, true, true));
        }
    }

    public Task<bool> TakeRequeueAsync(SendStatus status, string expectedState, TimeSpan hold)
    {
        lock (_gate)
        {
            var stored = _messages.GetValueOrDefault(status.MessageId);
            if (stored is not null && stored.State != expectedState) return Task.FromResult(false);
            if (expectedState == SendStates.Accepted && _requeueHolds.GetValueOrDefault(status.MessageId) > status.UpdatedAt)
                return Task.FromResult(false);
            _messages[status.MessageId] = SendClaims.ForSave(status);
            _requeueHolds[status.MessageId] = status.UpdatedAt + hold;
            return Task.FromResult(true);
        }
    }

    public Task<SendStatus?> GetAsync(string messageId)
    {
        lock (_gate) return Task.FromResult(_messages.GetValueOrDefault(messageId));
    }

    public Task<ClaimResult> ClaimAsync(string messageId, SendStatus ifMissing, DateTimeOffset now, TimeSpan lease, TimeSpan? repeatWindow)
    {
        lock (_gate)
        {
            var status = _messages.GetValueOrDefault(messageId) ?? ifMissing;
            var outcome = SendClaims.Decide(status, now, repeatWindow);
            if (outcome is not (ClaimOutcome.Finished or ClaimOutcome.InFlight))
                _messages[messageId] = status = status with
                {
                    State = SendStates.Sending, LeaseUntil = now + lease, UpdatedAt = now, Owner = SendClaims.NewOwner(),
                };
            return Task.FromResult(new ClaimResult(outcome, status));
        }
    }

    public Task<CallMark> MarkCallAsync(string messageId, string owner, DateTimeOffset now, TimeSpan? repeatWindow)
    {
        lock (_gate)
        {
            if (_messages.GetValueOrDefault(messageId) is not { State: SendStates.Sending } status || status.Owner != owner)
                return Task.FromResult(new CallMark(CallMarkOutcome.NotOwner, null));
            if (status.FirstCallAt is not { } first)
            {
                _messages[messageId] = status with { FirstCallAt = now };
                return Task.FromResult(new CallMark(CallMarkOutcome.First, now));
            }
            var outcome = repeatWindow is { } window && now < first + window ? CallMarkOutcome.Repeat : CallMarkOutcome.WindowPassed;
            return Task.FromResult(new CallMark(outcome, first));
        }
    }

    public Task<bool> SaveIfAsync(SendStatus status, string expectedState)
    {
        lock (_gate)
        {
            if (_messages.GetValueOrDefault(status.MessageId)?.State != expectedState) return Task.FromResult(false);
            _messages[status.MessageId] = SendClaims.ForSave(status with { Owner = null });
            return Task.FromResult(true);
        }
    }

    public Task<bool> SaveAsync(SendStatus status)
    {
        lock (_gate)
        {
            if (!SendClaims.MaySave(_messages.GetValueOrDefault(status.MessageId), status)) return Task.FromResult(false);
            _messages[status.MessageId] = SendClaims.ForSave(status);
            return Task.FromResult(true);
        }
    }
}

/// <summary>The claim rules both stores apply (the Redis store in Lua).</summary>
internal static class SendClaims
{
    public static ClaimOutcome Decide(SendStatus status, DateTimeOffset now, TimeSpan? repeatWindow) => status.State switch
    {
        _ when status.IsFinished => ClaimOutcome.Finished,
        SendStates.Sending when status.LeaseUntil > now => ClaimOutcome.InFlight,
        SendStates.Sending when status.FirstCallAt is null => ClaimOutcome.Claimed, // no request left: nothing to doubt
        SendStates.Sending => repeatWindow is { } window && now < status.FirstCallAt + window ? ClaimOutcome.Retaken : ClaimOutcome.Abandoned,
        _ => ClaimOutcome.Claimed,
    };

    /// <summary>
    /// An attempt (owner) saves only over its own claim, or where the status is gone (a Redis that came back empty:
    /// the outcome it kept must land); anyone else never over a claim.
    /// </summary>
    public static bool MaySave(SendStatus? stored, SendStatus status) => stored is null || (stored.State == SendStates.Sending
        ? status.Owner is not null && stored.Owner == status.Owner
        : status.Owner is null);

    public static SendStatus ForSave(SendStatus status) =>
        status.State == SendStates.Sending ? status : status with { LeaseUntil = null, Owner = null };

    public static string NewOwner() => Guid.NewGuid().ToString("N");
}

namespace WecomBridge.Sending.Status;

internal sealed partial class InMemorySendStatusStore(TimeProvider time) : ISendStatusStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SendStatus> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string MessageId, string Hash, DateTimeOffset Expires)> _keys = new(StringComparer.Ordinal);

    public Task<AcceptResult> AcceptAsync(SendStatus status, string? idempotencyKey, string requestHash, TimeSpan keyLifetime)
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
            }
            _messages[status.MessageId] = status;
            return Task.FromResult(new AcceptResult(status.MessageId, true, true));
        }
    }

    public Task<SendStatus?> GetAsync(string messageId)
    {
        lock (_gate) return Task.FromResult(_messages.GetValueOrDefault(messageId));
    }

    public Task<ClaimResult> ClaimAsync(string messageId, SendStatus ifMissing, DateTimeOffset now, TimeSpan lease, bool retakeAbandoned)
    {
        lock (_gate)
        {
            var status = _messages.GetValueOrDefault(messageId) ?? ifMissing;
            var outcome = SendClaims.Decide(status, now, retakeAbandoned);
            if (outcome is ClaimOutcome.Claimed or ClaimOutcome.Retaken)
                _messages[messageId] = status = status with { State = SendStates.Sending, LeaseUntil = now + lease, UpdatedAt = now };
            return Task.FromResult(new ClaimResult(outcome, status));
        }
    }

    public Task<bool> SaveIfAsync(SendStatus status, string expectedState)
    {
        lock (_gate)
        {
            if (_messages.GetValueOrDefault(status.MessageId)?.State != expectedState) return Task.FromResult(false);
            _messages[status.MessageId] = SendClaims.ForSave(status);
            return Task.FromResult(true);
        }
    }

    public Task SaveAsync(SendStatus status)
    {
        lock (_gate) _messages[status.MessageId] = SendClaims.ForSave(status);
        return Task.CompletedTask;
    }
}

/// <summary>The claim rule both stores apply.</summary>
internal static class SendClaims
{
    public static ClaimOutcome Decide(SendStatus status, DateTimeOffset now, bool retakeAbandoned) => status.State switch
    {
        _ when status.IsFinished => ClaimOutcome.Finished,
        SendStates.Sending when status.LeaseUntil > now => ClaimOutcome.InFlight,
        SendStates.Sending => retakeAbandoned ? ClaimOutcome.Retaken : ClaimOutcome.Abandoned,
        _ => ClaimOutcome.Claimed,
    };

    public static SendStatus ForSave(SendStatus status) => status.State == SendStates.Sending ? status : status with { LeaseUntil = null };
}

namespace WecomBridge.Sending.Status;

/// <summary>
/// Send status and idempotency keys, shared by all instances: Redis (Lua for the atomic claim) or in memory.
/// </summary>
internal interface ISendStatusStore
{
    /// <summary>
    /// Records <paramref name="status"/> (state accepted). With an idempotency key (already scoped to the API key),
    /// the first request stores key → (message id, request hash) for <paramref name="keyLifetime"/>; a later
    /// request with the key gets the first message id back and whether its body hash is the same.
    /// </summary>
    Task<AcceptResult> AcceptAsync(SendStatus status, string? idempotencyKey, string requestHash, TimeSpan keyLifetime);

    Task<SendStatus?> GetAsync(string messageId);

    /// <summary>
    /// Takes the message for one attempt: accepted or deferred (or unknown: <paramref name="ifMissing"/> is stored)
    /// → sending until now + lease. Sending with a live lease → InFlight; with an expired lease (the instance that
    /// held it died mid-send) → Abandoned, or Retaken (a new lease) when <paramref name="retakeAbandoned"/>.
    /// Sent, failed, ambiguous → Finished.
    /// </summary>
    Task<ClaimResult> ClaimAsync(string messageId, SendStatus ifMissing, DateTimeOffset now, TimeSpan lease, bool retakeAbandoned);

    /// <summary>Stores the status (clears the lease unless the state is sending).</summary>
    Task SaveAsync(SendStatus status);

    /// <summary>
    /// Stores the status only while the stored state is still <paramref name="expectedState"/> (e.g. the API marks a
    /// message "not queued" only if no dispatcher has taken it meanwhile); false when it changed.
    /// </summary>
    Task<bool> SaveIfAsync(SendStatus status, string expectedState);

    /// <summary>
    /// Stores <paramref name="settled"/> (a final state) only while the message is still as <paramref name="seen"/>
    /// left it: the same state with the same due time (<see cref="OpenMessages.DueOf"/>), so nothing took, deferred
    /// or finished it meanwhile (a cancel, the sweeper). False when it moved.
    /// </summary>
    Task<bool> SettleAsync(SendStatus settled, SendStatus seen);

    /// <summary>Ids of unfinished messages in <paramref name="state"/> due at or before <paramref name="dueBy"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListOpenAsync(string state, DateTimeOffset dueBy, int limit);

    /// <summary>Takes a message out of the index of unfinished ones (its status expired).</summary>
    Task ForgetOpenAsync(string messageId);
}

public readonly record struct AcceptResult(string MessageId, bool Created, bool SameRequest);

public enum ClaimOutcome { Claimed, Retaken, InFlight, Abandoned, Finished }

public readonly record struct ClaimResult(ClaimOutcome Outcome, SendStatus Status);

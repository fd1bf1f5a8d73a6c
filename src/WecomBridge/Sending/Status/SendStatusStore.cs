namespace WecomBridge.Sending.Status;

/// <summary>
/// Send status and idempotency keys, shared by all instances: Redis (Lua for every step that must be atomic) or in memory.
/// </summary>
internal interface ISendStatusStore
{
    /// <summary>
    /// Records <paramref name="status"/> (state accepted). With an idempotency key (already scoped to the API key),
    /// the key → (message id, request hash) for <paramref name="keyLifetime"/> and the status are stored in one step;
    /// a later request with the key gets the first message id back and whether its body hash is the same. No repeat
    /// may publish the message again for <paramref name="requeueHold"/> (<see cref="TakeRequeueAsync"/>): meanwhile
    /// the first request queues it or marks it not queued.
    /// </summary>
    Task<AcceptResult> AcceptAsync(SendStatus status, string? idempotencyKey, string requestHash, TimeSpan keyLifetime,
        TimeSpan requeueHold = default);

    /// <summary>
    /// A repeat's right to publish the message again: stores <paramref name="status"/> (state accepted) only while the
    /// stored state is <paramref name="expectedState"/> and, for accepted, its hold has ended; holds it again for
    /// <paramref name="hold"/>. Of concurrent repeats at most one gets true.
    /// </summary>
    Task<bool> TakeRequeueAsync(SendStatus status, string expectedState, TimeSpan hold);

    Task<SendStatus?> GetAsync(string messageId);

    /// <summary>
    /// Takes the message for one attempt under a new owner token (in the status): accepted or deferred (or unknown:
    /// <paramref name="ifMissing"/> is stored) → sending until now + lease. Sending with a live lease → InFlight. With
    /// an expired lease (the holder died or stalled): no call started → Claimed (it is simply sent); a call started
    /// (FirstCallAt) within <paramref name="repeatWindow"/> → Retaken; else Abandoned (taken, to be marked ambiguous).
    /// Sent, failed, ambiguous → Finished.
    /// </summary>
    Task<ClaimResult> ClaimAsync(string messageId, SendStatus ifMissing, DateTimeOffset now, TimeSpan lease, TimeSpan? repeatWindow);

    /// <summary>
    /// Records, just before a call's HTTP request leaves, that it may reach WeCom: the first time at
    /// <paramref name="now"/>; with a call already recorded the repeat is allowed only within
    /// <paramref name="repeatWindow"/> of it. Only the owner of the claim may.
    /// </summary>
    Task<CallMark> MarkCallAsync(string messageId, string owner, DateTimeOffset now, TimeSpan? repeatWindow);

    /// <summary>
    /// Stores the status (clears the lease and owner unless the state is sending). A status with an owner is stored
    /// only while the stored one is sending under that owner; one without, only while the stored one is not sending.
    /// False when refused (a stale instance whose lease was retaken).
    /// </summary>
    Task<bool> SaveAsync(SendStatus status);

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

/// <summary>First: no call before; Repeat: an earlier call's outcome is unknown but within the window; then refusals.</summary>
public enum CallMarkOutcome { First, Repeat, WindowPassed, NotOwner }

/// <summary><paramref name="FirstCallAt"/>: the start of the earliest call whose outcome is unknown (this one when First).</summary>
public readonly record struct CallMark(CallMarkOutcome Outcome, DateTimeOffset? FirstCallAt);

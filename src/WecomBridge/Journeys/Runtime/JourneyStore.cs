namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Running journeys: enrolments, one durable timer per running enrolment (its next step) and what became of each step.
/// PostgreSQL (<see cref="PostgresJourneyStore"/>, shared by every dispatcher, surviving restarts) or memory in the
/// embedded mode (<see cref="InMemoryJourneyStore"/>). Every change writes its event (<see cref="JourneyEvents"/>):
/// PostgreSQL in the same transaction (the pool's outbox), memory publishes it afterwards.
/// </summary>
internal interface IJourneyStore
{
    /// <summary>Enrols the contact with its timer on <paramref name="first"/> (null: no step, completed at once).</summary>
    Task<EnrolOutcome> EnrolAsync(Enrolment enrolment, string trigger, NextStep? first, CancellationToken ct = default);

    /// <summary>
    /// Up to <paramref name="max"/> timers due at <paramref name="now"/> (earliest first), each held by
    /// <paramref name="owner"/> until now + <paramref name="lease"/>: another runner takes it only after that (the
    /// owner died or stalled). Concurrent claims never get the same timer.
    /// </summary>
    Task<IReadOnlyList<ClaimedStep>> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct = default);

    /// <summary>
    /// Records the step's outcome and moves the timer to <paramref name="next"/> (null: the enrolment completed), only
    /// while <paramref name="owner"/> still holds it at that step; false otherwise (its lease was taken over).
    /// </summary>
    Task<bool> CompleteAsync(string owner, ClaimedStep step, StepRecord record, NextStep? next, CancellationToken ct = default);

    /// <summary>
    /// Gives the step back, due again at <paramref name="dueAt"/>: after a failure (<paramref name="failed"/>: the claim
    /// counts as an attempt) or deferred (quiet hours: it does not). False when the owner no longer holds it.
    /// </summary>
    Task<bool> ReleaseAsync(string owner, ClaimedStep step, DateTimeOffset dueAt, bool failed, CancellationToken ct = default);

    /// <summary>Ends a running enrolment with <paramref name="reason"/> and drops its timer; false when it was not running.</summary>
    Task<bool> ExitAsync(Guid enrolmentId, string reason, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>One enrolment by its id, whatever its state; null when unknown.</summary>
    Task<Enrolment?> GetAsync(Guid enrolmentId, CancellationToken ct = default);

    /// <summary>The contact's running enrolments (every journey of the corp).</summary>
    Task<IReadOnlyList<Enrolment>> RunningAsync(string corp, string externalUserId, CancellationToken ct = default);

    /// <summary>Makes due at <paramref name="now"/> the contact's timers waiting for <paramref name="eventKind"/>; how many.</summary>
    Task<int> WakeAsync(string corp, string externalUserId, string eventKind, DateTimeOffset now, CancellationToken ct = default);

    Task<JourneyCounts> CountAsync(string corp, string journeyId, CancellationToken ct = default);

    /// <summary>The contact's enrolments in the corp's journeys, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<EnrolmentHistory>> HistoryAsync(string corp, string externalUserId, int limit, CancellationToken ct = default);
}

using WecomBridge.Journeys.Runtime;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// A journey store that fails once, at the <see cref="FailEnrolAt"/>-th enrolment it is asked for (1-based; 0: never):
/// a database lost part-way through an event that enrols into several journeys. Everything else goes to the inner store.
/// </summary>
internal sealed class FailingJourneyStore(IJourneyStore inner) : IJourneyStore
{
    private int _enrols;

    public int FailEnrolAt { get; set; }

    public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<EnrolOutcome> EnrolAsync(Enrolment enrolment, string trigger, NextStep? first, CancellationToken ct = default)
    {
        if (Interlocked.Increment(ref _enrols) == FailEnrolAt)
        {
            Failed.TrySetResult();
            throw new InvalidOperationException("the journey store failed (test)");
        }
        return inner.EnrolAsync(enrolment, trigger, first, ct);
    }

    public Task<IReadOnlyList<ClaimedStep>> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct = default) =>
        inner.ClaimAsync(owner, now, lease, max, ct);

    public Task<bool> CompleteAsync(string owner, ClaimedStep step, StepRecord record, NextStep? next, CancellationToken ct = default) =>
        inner.CompleteAsync(owner, step, record, next, ct);

    public Task<bool> ReleaseAsync(string owner, ClaimedStep step, DateTimeOffset dueAt, bool failed, CancellationToken ct = default) =>
        inner.ReleaseAsync(owner, step, dueAt, failed, ct);

    public Task<bool> ExitAsync(Guid enrolmentId, string reason, DateTimeOffset at, CancellationToken ct = default) =>
        inner.ExitAsync(enrolmentId, reason, at, ct);

    public Task<Enrolment?> GetAsync(Guid enrolmentId, CancellationToken ct = default) => inner.GetAsync(enrolmentId, ct);

    public Task<IReadOnlyList<Enrolment>> RunningAsync(string corp, string externalUserId, CancellationToken ct = default) =>
        inner.RunningAsync(corp, externalUserId, ct);

    public Task<int> WakeAsync(string corp, string externalUserId, string eventKind, DateTimeOffset now, CancellationToken ct = default) =>
        inner.WakeAsync(corp, externalUserId, eventKind, now, ct);

    public Task<JourneyCounts> CountAsync(string corp, string journeyId, CancellationToken ct = default) => inner.CountAsync(corp, journeyId, ct);

    public Task<IReadOnlyList<EnrolmentHistory>> HistoryAsync(string corp, string externalUserId, int limit, CancellationToken ct = default) =>
        inner.HistoryAsync(corp, externalUserId, limit, ct);
}

using WecomBridge.Journeys.Runtime;

namespace WecomBridge.Bench;

/// <summary>
/// The runners' store, measuring: a step recorded (its send accepted: the broker confirmed the command before the
/// runner records the step) is timed against the step's due time. Outcomes counted; every call goes to the real store.
/// </summary>
internal sealed class JourneysStore(IJourneyStore store, TimeProvider time) : IJourneyStore
{
    private readonly Lock _gate = new();
    private readonly List<double> _lagMs = [];
    private long _taken, _other, _lost;

    public long Recorded => Interlocked.Read(ref _taken) + Interlocked.Read(ref _other);
    public long Taken => Interlocked.Read(ref _taken);
    /// <summary>Completions refused because the lease had been taken over (the other runner records the step).</summary>
    public long LeasesLost => Interlocked.Read(ref _lost);

    public double[] LagsMs()
    {
        lock (_gate) return [.. _lagMs];
    }

    public async Task<bool> CompleteAsync(string owner, ClaimedStep step, StepRecord record, NextStep? next, CancellationToken ct = default)
    {
        var lag = (time.GetUtcNow() - step.StepDueAt).TotalMilliseconds;
        var done = await store.CompleteAsync(owner, step, record, next, ct);
        if (!done) Interlocked.Increment(ref _lost);
        else if (record.Outcome == StepOutcomes.Taken)
        {
            Interlocked.Increment(ref _taken);
            lock (_gate) _lagMs.Add(lag);
        }
        else Interlocked.Increment(ref _other);
        return done;
    }

    public Task<Enrolment?> GetAsync(Guid enrolmentId, CancellationToken ct = default) => store.GetAsync(enrolmentId, ct);

    public Task<EnrolOutcome> EnrolAsync(Enrolment enrolment, string trigger, NextStep? first, CancellationToken ct = default) =>
        store.EnrolAsync(enrolment, trigger, first, ct);

    public Task<IReadOnlyList<ClaimedStep>> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct = default) =>
        store.ClaimAsync(owner, now, lease, max, ct);

    public Task<bool> ReleaseAsync(string owner, ClaimedStep step, DateTimeOffset dueAt, bool failed, CancellationToken ct = default) =>
        store.ReleaseAsync(owner, step, dueAt, failed, ct);

    public Task<bool> ExitAsync(Guid enrolmentId, string reason, DateTimeOffset at, CancellationToken ct = default) =>
        store.ExitAsync(enrolmentId, reason, at, ct);

    public Task<IReadOnlyList<Enrolment>> RunningAsync(string corp, string externalUserId, CancellationToken ct = default) =>
        store.RunningAsync(corp, externalUserId, ct);

    public Task<int> WakeAsync(string corp, string externalUserId, string eventKind, DateTimeOffset now, CancellationToken ct = default) =>
        store.WakeAsync(corp, externalUserId, eventKind, now, ct);

    public Task<JourneyCounts> CountAsync(string corp, string journeyId, CancellationToken ct = default) => store.CountAsync(corp, journeyId, ct);

    public Task<IReadOnlyList<EnrolmentHistory>> HistoryAsync(string corp, string externalUserId, int limit, CancellationToken ct = default) =>
        store.HistoryAsync(corp, externalUserId, limit, ct);
}

/// <summary>The machine's clock moved by a fixed shift: the runners see the filled due times as now when the run starts.</summary>
internal sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}

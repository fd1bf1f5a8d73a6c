using System.Text;
using WecomBridge.Messaging;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Running journeys in memory: the embedded mode (one process; timers are lost when it stops, like everything in
/// memory). The same rules as <see cref="PostgresJourneyStore"/>; events are published after each change (no outbox).
/// </summary>
internal sealed partial class InMemoryJourneyStore(IMessagePublisher? publisher = null) : IJourneyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Enrolment> _enrolments = [];
    private readonly Dictionary<Guid, Timer> _timers = [];
    private readonly Dictionary<Guid, SortedDictionary<int, StepRecord>> _steps = [];

    private sealed record Timer(NextStep Step, DateTimeOffset DueAt, int Attempts, string? Owner);

    public async Task<EnrolOutcome> EnrolAsync(Enrolment enrolment, string trigger, NextStep? first, CancellationToken ct = default)
    {
        var e = first is null ? enrolment with { State = EnrolmentStates.Completed, EndedAt = enrolment.EnrolledAt } : enrolment;
        lock (_gate)
        {
            var same = _enrolments.Values.Where(x => x.Corp == e.Corp && x.JourneyId == e.JourneyId && x.ExternalUserId == e.ExternalUserId).ToList();
            if (same.Any(x => x.Source == e.Source)) return EnrolOutcome.Duplicate;
            if (same.Any(x => x.State == EnrolmentStates.Running)) return EnrolOutcome.AlreadyRunning;
            _enrolments[e.Id] = e;
            _steps[e.Id] = [];
            if (first is not null) _timers[e.Id] = new Timer(first, first.ClaimAt, 0, null);
        }
        await PublishAsync(first is null
            ? [JourneyEvents.Enrolled(e, trigger), JourneyEvents.Exited(e, JourneyEvents.Completed, e.EnrolledAt)]
            : [JourneyEvents.Enrolled(e, trigger)], ct);
        return EnrolOutcome.Enrolled;
    }

    public Task<IReadOnlyList<ClaimedStep>> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var due = _timers.Where(t => t.Value.DueAt <= now).OrderBy(t => t.Value.DueAt).Take(max).ToList();
            var claimed = new List<ClaimedStep>();
            foreach (var (id, t) in due)
            {
                var held = _timers[id] = t with { DueAt = now + lease, Attempts = t.Attempts + 1, Owner = owner };
                claimed.Add(new ClaimedStep(_enrolments[id], t.Step.StepIndex, t.Step.StepId, t.Step.DueAt, held.Attempts, t.Step.WaitingFor));
            }
            return Task.FromResult<IReadOnlyList<ClaimedStep>>(claimed);
        }
    }

    public async Task<bool> CompleteAsync(string owner, ClaimedStep step, StepRecord record, NextStep? next, CancellationToken ct = default)
    {
        var e = step.Enrolment;
        lock (_gate)
        {
            if (!Holds(owner, step)) return false;
            _steps[e.Id].TryAdd(record.StepIndex, record);
            if (next is not null) _timers[e.Id] = new Timer(next, next.ClaimAt, 0, null);
            else
            {
                _timers.Remove(e.Id);
                _enrolments[e.Id] = _enrolments[e.Id] with { State = EnrolmentStates.Completed, EndedAt = record.At };
            }
        }
        await PublishAsync(next is null
            ? [JourneyEvents.Step(e, record), JourneyEvents.Exited(e, JourneyEvents.Completed, record.At)]
            : [JourneyEvents.Step(e, record)], ct);
        return true;
    }

    public Task<bool> ReleaseAsync(string owner, ClaimedStep step, DateTimeOffset dueAt, bool failed, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!Holds(owner, step)) return Task.FromResult(false);
            var t = _timers[step.Enrolment.Id];
            _timers[step.Enrolment.Id] = t with { DueAt = dueAt, Owner = null, Attempts = failed ? t.Attempts : t.Attempts - 1 };
            return Task.FromResult(true);
        }
    }

    public async Task<bool> ExitAsync(Guid enrolmentId, string reason, DateTimeOffset at, CancellationToken ct = default)
    {
        Enrolment exited;
        lock (_gate)
        {
            if (!_enrolments.TryGetValue(enrolmentId, out var e) || e.State != EnrolmentStates.Running) return false;
            exited = _enrolments[enrolmentId] = e with { State = EnrolmentStates.Exited, ExitReason = reason, EndedAt = at };
            _timers.Remove(enrolmentId);
        }
        await PublishAsync([JourneyEvents.Exited(exited, reason, at)], ct);
        return true;
    }

    private bool Holds(string owner, ClaimedStep step) =>
        _timers.TryGetValue(step.Enrolment.Id, out var t) && t.Owner == owner && t.Step.StepIndex == step.StepIndex;

    private async Task PublishAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        if (publisher is null) return;
        foreach (var e in events)
            await publisher.PublishAsync(EventJson.ContractType(e.Type), e.EventId, Encoding.UTF8.GetBytes(e.Body), ct);
    }
}

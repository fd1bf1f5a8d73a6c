namespace WecomBridge.Journeys.Runtime;

internal sealed partial class InMemoryJourneyStore
{
    public Task<IReadOnlyList<Enrolment>> RunningAsync(string corp, string externalUserId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<Enrolment>>(_enrolments.Values
                .Where(e => e.Corp == corp && e.ExternalUserId == externalUserId && e.State == EnrolmentStates.Running)
                .OrderBy(e => e.EnrolledAt).ToList());
    }

    public Task<int> WakeAsync(string corp, string externalUserId, string eventKind, DateTimeOffset now, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var woken = _timers.Where(t => t.Value.Step.WaitingFor == eventKind && t.Value.Owner is null
                && _enrolments[t.Key] is { State: EnrolmentStates.Running } e && e.Corp == corp && e.ExternalUserId == externalUserId).ToList();
            foreach (var (id, t) in woken)
                _timers[id] = t with { Step = t.Step with { WaitingFor = null, WaitUntil = null }, DueAt = t.Step.DueAt > now ? t.Step.DueAt : now };
            return Task.FromResult(woken.Count);
        }
    }

    public Task<JourneyCounts> CountAsync(string corp, string journeyId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var enrolments = _enrolments.Values.Where(e => e.Corp == corp && e.JourneyId == journeyId).ToList();
            var steps = new Dictionary<string, StepCounts>(StringComparer.Ordinal);
            StepCounts Of(string id) => steps.TryGetValue(id, out var c) ? c : new StepCounts(0, 0, 0, 0);
            foreach (var e in enrolments)
            {
                if (_timers.TryGetValue(e.Id, out var t)) steps[t.Step.StepId] = Of(t.Step.StepId) is var c ? c with { Due = c.Due + 1 } : c;
                foreach (var r in _steps[e.Id].Values)
                {
                    var s = Of(r.StepId);
                    steps[r.StepId] = r.Outcome switch
                    {
                        StepOutcomes.Taken => s with { Taken = s.Taken + 1 },
                        StepOutcomes.Skipped => s with { Skipped = s.Skipped + 1 },
                        _ => s with { Failed = s.Failed + 1 },
                    };
                }
            }
            int State(string s) => enrolments.Count(e => e.State == s);
            return Task.FromResult(new JourneyCounts(enrolments.Count, State(EnrolmentStates.Running), State(EnrolmentStates.Completed),
                State(EnrolmentStates.Exited), steps));
        }
    }

    public Task<IReadOnlyList<EnrolmentHistory>> HistoryAsync(string corp, string externalUserId, int limit, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<EnrolmentHistory>>(_enrolments.Values
                .Where(e => e.Corp == corp && e.ExternalUserId == externalUserId)
                .OrderByDescending(e => e.EnrolledAt).ThenBy(e => e.Id).Take(limit)
                .Select(e => new EnrolmentHistory(e, _steps[e.Id].Values.Select(r => r with { Action = "" }).ToList(),
                    _timers.TryGetValue(e.Id, out var t) ? t.Step : null))
                .ToList());
    }
}

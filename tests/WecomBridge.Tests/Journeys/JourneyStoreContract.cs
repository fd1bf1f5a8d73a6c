using WecomBridge.Journeys.Runtime;

namespace WecomBridge.Tests.Journeys;

/// <summary>What every journey store does with enrolments and their durable timers: run against PostgreSQL and memory alike.</summary>
public abstract class JourneyStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private IJourneyStore _store = null!;

    internal abstract Task<IJourneyStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static Enrolment New(string ext = "wm1", string source = "ev1", string journey = "welcome") =>
        new(Guid.CreateVersion7(), "acme", journey, 1, ext, "zhangsan", source, T0);

    private static NextStep Step(int index, TimeSpan after) => new(index, $"s{index}", T0 + after);

    private static StepRecord Taken(int index, DateTimeOffset at) => new(index, $"s{index}", StepOutcomes.Taken, null, "m" + index, at, "customerTask");

    [Fact]
    public async Task A_source_enrols_a_contact_once_and_one_enrolment_per_journey_runs_at_a_time()
    {
        Assert.Equal(EnrolOutcome.Enrolled, await _store.EnrolAsync(New(), "contactAdded", Step(0, TimeSpan.Zero)));
        Assert.Equal(EnrolOutcome.Duplicate, await _store.EnrolAsync(New(), "contactAdded", Step(0, TimeSpan.Zero)));
        Assert.Equal(EnrolOutcome.AlreadyRunning, await _store.EnrolAsync(New(source: "ev2"), "contactAdded", Step(0, TimeSpan.Zero)));
        Assert.Equal(EnrolOutcome.Enrolled, await _store.EnrolAsync(New(journey: "other"), "contactAdded", Step(0, TimeSpan.Zero)));
        Assert.Equal(EnrolOutcome.Enrolled, await _store.EnrolAsync(New(ext: "wm2"), "contactAdded", Step(0, TimeSpan.Zero)));
        Assert.Equal(2, (await _store.RunningAsync("acme", "wm1")).Count);
    }

    [Fact]
    public async Task An_enrolment_keeps_its_trace_context_for_its_steps()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var traced = New("wm1") with { TraceParent = traceParent };
        await _store.EnrolAsync(traced, "contactAdded", Step(0, TimeSpan.Zero));
        await _store.EnrolAsync(New("wm2"), "contactAdded", Step(0, TimeSpan.Zero));

        var claimed = await _store.ClaimAsync("a", T0, Lease, 10);

        Assert.Equal(traceParent, claimed.Single(c => c.Enrolment.ExternalUserId == "wm1").Enrolment.TraceParent);
        Assert.Null(claimed.Single(c => c.Enrolment.ExternalUserId == "wm2").Enrolment.TraceParent);
        Assert.Equal((traceParent, 0), ((await _store.GetAsync(traced.Id))!.TraceParent, claimed.Single(c => c.Enrolment.Id == traced.Id).StepIndex));
    }

    [Fact]
    public async Task Only_due_timers_are_claimed_and_a_claimed_one_waits_for_its_lease_to_end()
    {
        await _store.EnrolAsync(New("wm1"), "contactAdded", Step(0, TimeSpan.Zero));
        await _store.EnrolAsync(New("wm2"), "contactAdded", Step(0, TimeSpan.FromHours(1)));

        var first = Assert.Single(await _store.ClaimAsync("a", T0, Lease, 10));
        Assert.Equal(("wm1", 0, 1), (first.Enrolment.ExternalUserId, first.StepIndex, first.Attempts));
        Assert.Empty(await _store.ClaimAsync("b", T0 + Lease - TimeSpan.FromSeconds(1), Lease, 10));

        // The holder died: once its lease ended another runner takes the step, and the old holder can no longer finish it.
        var retaken = Assert.Single(await _store.ClaimAsync("b", T0 + Lease, Lease, 10));
        Assert.Equal((first.Enrolment.Id, 2), (retaken.Enrolment.Id, retaken.Attempts));
        Assert.False(await _store.CompleteAsync("a", first, Taken(0, T0 + Lease), null));
        Assert.True(await _store.CompleteAsync("b", retaken, Taken(0, T0 + Lease), null));
    }

    [Fact]
    public async Task Completing_moves_the_timer_to_the_next_step_and_the_last_step_completes_the_enrolment()
    {
        var e = New();
        await _store.EnrolAsync(e, "contactAdded", Step(0, TimeSpan.Zero));
        var s0 = Assert.Single(await _store.ClaimAsync("a", T0, Lease, 10));
        Assert.True(await _store.CompleteAsync("a", s0, Taken(0, T0), Step(1, TimeSpan.FromDays(1))));
        Assert.Empty(await _store.ClaimAsync("a", T0 + TimeSpan.FromHours(23), Lease, 10));
        var s1 = Assert.Single(await _store.ClaimAsync("a", T0 + TimeSpan.FromDays(1), Lease, 10));
        Assert.Equal((1, "s1", 1), (s1.StepIndex, s1.StepId, s1.Attempts));
        var skipped = new StepRecord(1, "s1", StepOutcomes.Skipped, "condition 1 not met", null, T0 + TimeSpan.FromDays(1), "tag");
        Assert.True(await _store.CompleteAsync("a", s1, skipped, null));
        Assert.False(await _store.CompleteAsync("a", s1, skipped, null));

        var history = Assert.Single(await _store.HistoryAsync("acme", "wm1", 10));
        Assert.Equal((EnrolmentStates.Completed, (DateTimeOffset?)(T0 + TimeSpan.FromDays(1))), (history.Enrolment.State, history.Enrolment.EndedAt));
        Assert.Equal([StepOutcomes.Taken, StepOutcomes.Skipped], history.Steps.Select(s => s.Outcome));
        Assert.Equal("condition 1 not met", history.Steps[1].Reason);
        Assert.Null(history.Next);
        var counts = await _store.CountAsync("acme", "welcome");
        Assert.Equal((1, 0, 1, 0), (counts.Enrolled, counts.Active, counts.Completed, counts.Exited));
        Assert.Equal(new StepCounts(0, 1, 0, 0), counts.Steps["s0"]);
        Assert.Equal(new StepCounts(0, 0, 1, 0), counts.Steps["s1"]);
    }

    [Fact]
    public async Task A_released_step_is_due_again_then_and_only_a_failure_counts_as_an_attempt()
    {
        await _store.EnrolAsync(New(), "contactAdded", Step(0, TimeSpan.Zero));
        var claim = Assert.Single(await _store.ClaimAsync("a", T0, Lease, 10));
        Assert.True(await _store.ReleaseAsync("a", claim, T0 + TimeSpan.FromMinutes(5), failed: true));
        Assert.False(await _store.ReleaseAsync("a", claim, T0, failed: true));
        Assert.Empty(await _store.ClaimAsync("a", T0 + TimeSpan.FromMinutes(4), Lease, 10));
        claim = Assert.Single(await _store.ClaimAsync("a", T0 + TimeSpan.FromMinutes(5), Lease, 10));
        Assert.Equal(2, claim.Attempts);
        Assert.True(await _store.ReleaseAsync("a", claim, T0 + TimeSpan.FromHours(8), failed: false)); // deferred: quiet hours
        claim = Assert.Single(await _store.ClaimAsync("b", T0 + TimeSpan.FromHours(8), Lease, 10));
        Assert.Equal((2, T0), (claim.Attempts, claim.StepDueAt));
    }

    [Fact]
    public async Task An_exit_drops_the_timer_so_no_further_step_is_claimed()
    {
        var e = New();
        await _store.EnrolAsync(e, "contactAdded", Step(0, TimeSpan.FromHours(1)));
        Assert.True(await _store.ExitAsync(e.Id, "tagAdded", T0));
        Assert.False(await _store.ExitAsync(e.Id, "tagAdded", T0));
        Assert.Empty(await _store.ClaimAsync("a", T0 + TimeSpan.FromDays(30), Lease, 10));
        Assert.Empty(await _store.RunningAsync("acme", "wm1"));
        var history = Assert.Single(await _store.HistoryAsync("acme", "wm1", 10));
        Assert.Equal((EnrolmentStates.Exited, "tagAdded"), (history.Enrolment.State, history.Enrolment.ExitReason));
        Assert.Equal(EnrolOutcome.Enrolled, await _store.EnrolAsync(New(source: "ev2"), "contactAdded", Step(0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task A_step_after_a_wait_is_taken_at_the_deadline_or_when_the_event_arrives()
    {
        await _store.EnrolAsync(New("wm1"), "contactAdded", new NextStep(1, "s1", T0, "stageChanged", T0 + TimeSpan.FromDays(3)));
        await _store.EnrolAsync(New("wm2"), "contactAdded", new NextStep(1, "s1", T0, "stageChanged", T0 + TimeSpan.FromDays(3)));
        Assert.Empty(await _store.ClaimAsync("a", T0 + TimeSpan.FromDays(1), Lease, 10));
        Assert.Equal(1, await _store.WakeAsync("acme", "wm1", "stageChanged", T0 + TimeSpan.FromDays(1)));
        Assert.Equal(0, await _store.WakeAsync("acme", "wm2", "tagAdded", T0 + TimeSpan.FromDays(1)));
        Assert.Equal("wm1", Assert.Single(await _store.ClaimAsync("a", T0 + TimeSpan.FromDays(1), TimeSpan.FromDays(7), 10)).Enrolment.ExternalUserId);
        Assert.Equal("wm2", Assert.Single(await _store.ClaimAsync("a", T0 + TimeSpan.FromDays(3), Lease, 10)).Enrolment.ExternalUserId);
    }

    [Fact]
    public async Task Concurrent_claims_never_hand_out_one_timer_twice()
    {
        for (var i = 0; i < 60; i++) await _store.EnrolAsync(New($"wm{i}"), "contactAdded", Step(0, TimeSpan.FromSeconds(i)));
        async Task<List<Guid>> Drain(string owner)
        {
            var got = new List<Guid>();
            while (await _store.ClaimAsync(owner, T0 + TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), 7) is { Count: > 0 } batch)
                got.AddRange(batch.Select(c => c.Enrolment.Id));
            return got;
        }
        var all = (await Task.WhenAll(Drain("a"), Drain("b"), Drain("c"))).SelectMany(g => g).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Distinct().Count());
    }
}

using WecomBridge.Contracts.Sending;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool.Segments;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>Runners on a fake clock against a real PostgreSQL: each step once, leases taken over, deferrals kept, skips and exits.</summary>
public sealed class JourneyRunnerTests : IAsyncLifetime
{
    private JourneyRig _rig = null!;

    public async Task InitializeAsync() => _rig = await JourneyRig.CreateAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private List<string> Sends() => _rig.Published.All.Where(p => p.Type == typeof(SendRequested)).Select(p => p.Id).ToList();

    private Task<long> Outcomes(string outcome) => _rig.ScalarAsync<long>($"SELECT count(*) FROM journeys.steps WHERE outcome = '{outcome}'");

    [Fact]
    public async Task Two_runners_on_one_database_take_every_step_once()
    {
        var journey = await _rig.SaveAsync("welcome", [JourneyRig.Task("hello", TimeSpan.Zero), JourneyRig.Task("again", TimeSpan.FromDays(1))]);
        for (var i = 0; i < 30; i++)
        {
            await _rig.AddContactAsync($"wm{i}");
            await _rig.EnrolAsync(journey, $"wm{i}");
        }

        await Task.WhenAll(JourneyRunners.DrainAsync(_rig.Runner()), JourneyRunners.DrainAsync(_rig.Runner()));
        _rig.Time.Advance(TimeSpan.FromDays(1));
        await Task.WhenAll(JourneyRunners.DrainAsync(_rig.Runner()), JourneyRunners.DrainAsync(_rig.Runner()));

        Assert.Equal(60, Sends().Count);
        Assert.Equal(60, Sends().Distinct().Count());
        var counts = await _rig.Store.CountAsync(JourneyRig.Corp, "welcome");
        Assert.Equal((30, 0, 30), (counts.Enrolled, counts.Active, counts.Completed));
        Assert.Equal(new StepCounts(0, 30, 0, 0), counts.Steps["hello"]);
        Assert.Equal(new StepCounts(0, 30, 0, 0), counts.Steps["again"]);
        Assert.Equal(30L + 60 + 30, await _rig.ScalarAsync<long>("SELECT count(*) FROM pool.outbox WHERE type LIKE 'WecomBridge.Contracts.Journeys.%'"));
    }

    [Fact]
    public async Task A_runner_takes_different_contacts_steps_side_by_side_and_one_contacts_steps_one_after_the_other()
    {
        var welcome = await _rig.SaveAsync("welcome", [JourneyRig.Task("hello", TimeSpan.Zero)]);
        var vip = await _rig.SaveAsync("vip", [JourneyRig.Task("invite", TimeSpan.Zero)]);
        foreach (var ext in new[] { "wm1", "wm2", "wm3" })
        {
            await _rig.AddContactAsync(ext);
            await _rig.EnrolAsync(welcome, ext);
        }
        await _rig.EnrolAsync(vip, "wm1");
        // Each publish is confirmed only once three are in flight: three contacts' steps must be taken side by side.
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var three = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = 0;
        _rig.Published.BeforeConfirm = async id =>
        {
            log.Enqueue("start " + id);
            if (Interlocked.Increment(ref inFlight) >= 3) three.TrySetResult();
            await three.Task.WaitAsync(TimeSpan.FromSeconds(30));
            log.Enqueue("end " + id);
        };

        Assert.Equal(4, await _rig.Runner().RunOnceAsync(CancellationToken.None));

        Assert.Equal(4, Sends().Distinct().Count());
        var wm1 = await _rig.ScalarAsync<string>("""
            SELECT string_agg(s.message_id, ',' ORDER BY e.journey_id DESC) FROM journeys.steps s
            JOIN journeys.enrolments e ON e.id = s.enrolment_id WHERE e.external_user_id = 'wm1'
            """);
        var (first, second) = (wm1!.Split(',')[0], wm1.Split(',')[1]);
        var entries = log.ToList();
        var (firstEnd, secondStart) = (entries.IndexOf("end " + first), entries.IndexOf("start " + second));
        var (otherEnd, otherStart) = (entries.IndexOf("end " + second), entries.IndexOf("start " + first));
        // wm1's two steps (two journeys) were not in flight together, whichever went first.
        Assert.True((firstEnd >= 0 && firstEnd < secondStart) || (otherEnd >= 0 && otherEnd < otherStart), string.Join("; ", entries));
    }

    [Fact]
    public async Task A_step_whose_runner_died_after_sending_is_taken_over_after_the_lease_and_not_sent_twice()
    {
        var journey = await _rig.SaveAsync("welcome", [JourneyRig.Task("hello", TimeSpan.Zero)]);
        await _rig.AddContactAsync("wm1");
        await _rig.EnrolAsync(journey, "wm1");
        // The dead runner claimed the step and handed its send to the dispatcher, then died before recording it.
        var claimed = Assert.Single(await _rig.Store.ClaimAsync("dead", _rig.Time.GetUtcNow(), _rig.RuntimeOptions.Lease, 10));
        var task = new WecomBridge.Sending.Api.CustomerTaskRequest("zhangsan", ["wm1"], null, null, "Hello from the journey", null);
        var first = await _rig.Sender.SendAsync(new WecomBridge.Sending.Api.SendMessageRequest(SendKinds.CustomerTask, JourneyRig.Corp, null, null,
            null, task, null, null, null, null, null), JourneySender.KeyOf(claimed));
        Assert.NotNull(first.MessageId);

        var survivor = _rig.Runner();
        Assert.Equal(0, await survivor.RunOnceAsync(CancellationToken.None));
        _rig.Time.Advance(_rig.RuntimeOptions.Lease);
        Assert.Equal(1, await survivor.RunOnceAsync(CancellationToken.None));

        // The survivor found the dead runner's message under the step's key: the same message id (published again only
        // because no dispatcher had taken it yet; the dispatcher takes a message id once).
        Assert.Equal([first.MessageId!], Sends().Distinct());
        var history = Assert.Single(await _rig.Store.HistoryAsync(JourneyRig.Corp, "wm1", 10));
        Assert.Equal((StepOutcomes.Taken, first.MessageId), (history.Steps[0].Outcome, history.Steps[0].MessageId));
        Assert.False(await _rig.Store.CompleteAsync("dead", claimed, history.Steps[0], null));
    }

    [Fact]
    public async Task A_customer_task_due_in_quiet_hours_waits_for_their_end_and_is_then_sent()
    {
        var journey = await _rig.SaveAsync("welcome", [JourneyRig.Task("evening", TimeSpan.FromHours(12))]); // 22:00 in Shanghai
        await _rig.AddContactAsync("wm1");
        await _rig.EnrolAsync(journey, "wm1");
        var runner = _rig.Runner();

        _rig.Time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(1, await runner.RunOnceAsync(CancellationToken.None));
        Assert.Empty(Sends());
        Assert.Equal(1, (await _rig.Store.CountAsync(JourneyRig.Corp, "welcome")).Steps["evening"].Due);

        _rig.Time.Advance(TimeSpan.FromHours(10) - TimeSpan.FromMinutes(1)); // 07:59 next morning: still quiet, nothing due
        Assert.Equal(0, await runner.RunOnceAsync(CancellationToken.None));
        _rig.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await runner.RunOnceAsync(CancellationToken.None));
        Assert.Single(Sends());
        Assert.Equal(1L, await Outcomes(StepOutcomes.Taken));
    }

    [Fact]
    public async Task A_step_whose_condition_does_not_hold_is_skipped_with_its_reason_and_the_journey_goes_on()
    {
        var vip = new JourneyCondition(new TagsFilter(["tag-vip"], [], []), null);
        var interacted = new JourneyCondition(null, true);
        var journey = await _rig.SaveAsync("welcome",
            [JourneyRig.Task("vip-only", TimeSpan.Zero, vip), JourneyRig.Task("if-active", TimeSpan.FromHours(1), interacted),
                JourneyRig.Task("all", TimeSpan.FromHours(2))]);
        await _rig.AddContactAsync("wm1", "tag-new");
        await _rig.EnrolAsync(journey, "wm1");
        var runner = _rig.Runner();

        for (var i = 0; i < 3; i++)
        {
            await JourneyRunners.DrainAsync(runner);
            _rig.Time.Advance(TimeSpan.FromHours(1));
        }

        var history = Assert.Single(await _rig.Store.HistoryAsync(JourneyRig.Corp, "wm1", 10));
        Assert.Equal([(StepOutcomes.Skipped, "condition 1 not met"), (StepOutcomes.Skipped, "condition 1 not met"), (StepOutcomes.Taken, null)],
            history.Steps.Select(s => (s.Outcome, s.Reason)));
        Assert.Single(Sends());
        Assert.Equal(2L, await _rig.ScalarAsync<long>(
            "SELECT count(*) FROM pool.outbox WHERE type = 'WecomBridge.Contracts.Journeys.JourneyStepSkipped' AND body LIKE '%condition 1 not met%'"));
    }

    [Fact]
    public async Task A_deleted_or_suppressed_contact_exits_and_no_further_step_runs()
    {
        var exits = new[] { new JourneyExit(JourneyExitKinds.ContactDeleted, null), new JourneyExit(JourneyExitKinds.Suppressed, null) };
        var journey = await _rig.SaveAsync("welcome", [JourneyRig.Task("one", TimeSpan.Zero), JourneyRig.Task("two", TimeSpan.FromDays(1))], exits);
        await _rig.AddContactAsync("wm1");
        await _rig.AddContactAsync("wm2");
        await _rig.EnrolAsync(journey, "wm1");
        await _rig.EnrolAsync(journey, "wm2");
        var runner = _rig.Runner();
        await JourneyRunners.DrainAsync(runner);
        Assert.Equal(2, Sends().Count);

        await _rig.ApplyAsync(PoolEvents.DeletedByCustomer("wm1", "zhangsan", 2));
        await _rig.Suppression.AddAsync(SuppressionScopes.WeCom(JourneyRig.Corp), SuppressionScopes.AnyMember("wm2"), "opt-out", _rig.Time.GetUtcNow());
        _rig.Time.Advance(TimeSpan.FromDays(2));
        await JourneyRunners.DrainAsync(runner);

        Assert.Equal(2, Sends().Count);
        var exited = (await _rig.Store.HistoryAsync(JourneyRig.Corp, "wm1", 10)).Concat(await _rig.Store.HistoryAsync(JourneyRig.Corp, "wm2", 10));
        Assert.Equal([JourneyExitKinds.ContactDeleted, JourneyExitKinds.Suppressed], exited.Select(h => h.Enrolment.ExitReason));
        Assert.All(exited, h => Assert.Null(h.Next));
    }

    [Fact]
    public async Task A_step_that_cannot_be_queued_is_tried_again_and_recorded_failed_after_its_attempts()
    {
        var journey = await _rig.SaveAsync("welcome", [new JourneyStep("remind", TimeSpan.Zero, null, [],
            new JourneyAction(JourneyActionKinds.EmployeeReminder, Text: "Call them", App: "no-such-app"))]);
        await _rig.AddContactAsync("wm1");
        await _rig.EnrolAsync(journey, "wm1");
        await JourneyRunners.DrainAsync(_rig.Runner());

        var history = Assert.Single(await _rig.Store.HistoryAsync(JourneyRig.Corp, "wm1", 10));
        Assert.Equal(StepOutcomes.Failed, history.Steps[0].Outcome);
        Assert.StartsWith("invalid send: app", history.Steps[0].Reason);
        Assert.Equal(EnrolmentStates.Completed, history.Enrolment.State);
    }
}

using Microsoft.Extensions.Time.Testing;
using WecomBridge.JourneyKit;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Journeys.Drills;

/// <summary>
/// Three runners on one PostgreSQL, Redis and RabbitMQ; one is stopped dead in the middle of a batch, right after the
/// broker confirmed one of its sends (a SIGKILLed dispatcher: in process, its publish never returns and its clock never
/// moves, so it neither records nor releases anything). The others take its steps once the lease ends.
/// </summary>
[Collection("drills")]
public sealed class JourneyRunnerKillDrill : IAsyncLifetime
{
    private const int Enrolments = 300;
    private JourneyDrillRig _rig = null!;

    public async Task InitializeAsync() => _rig = await JourneyDrillRig.CreateAsync(TestServers.Postgres);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_runner_killed_mid_batch_leaves_its_steps_to_the_others_after_the_lease_each_recorded_and_sent_once()
    {
        await _rig.EnrolAsync(Enrolments);
        var dying = new DyingPublisher(sendsBeforeDeath: 30);
        var dead = _rig.Runner(new FakeTimeProvider(JourneyRig.T0), dying.Wrap);
        var deadRun = JourneyRunners.DrainAsync(dead);
        await Eventually.True(() => dying.Dead, TimeSpan.FromSeconds(30), "the runner died");

        var (a, b) = (_rig.Runner(_rig.Time), _rig.Runner(_rig.Time));
        await Task.WhenAll(JourneyRunners.DrainAsync(a), JourneyRunners.DrainAsync(b));
        // Before its lease ends the dead runner's batch is held: the steps it claimed and did not record (the ones it had
        // sent when it died, and the rest of its batch) stay leased to it.
        var held = await _rig.ScalarAsync("SELECT count(*) FROM journeys.timers");
        Assert.InRange(held, 1L, _rig.Options.BatchSize);
        Assert.Equal(held, await _rig.ScalarAsync($"SELECT count(*) FROM journeys.timers WHERE lease_owner = '{dead.Owner}'"));
        Assert.Equal(Enrolments - held, await _rig.ScalarAsync("SELECT count(*) FROM journeys.steps"));
        Assert.False(deadRun.IsCompleted);

        _rig.Time.Advance(_rig.Options.Lease);
        await Task.WhenAll(JourneyRunners.DrainAsync(a), JourneyRunners.DrainAsync(b));

        var recorded = await _rig.RecordedMessagesAsync();
        Assert.Equal(Enrolments, recorded.Count);
        Assert.Equal(Enrolments, recorded.Distinct().Count());
        Assert.Equal(0L, await _rig.ScalarAsync("SELECT count(*) FROM journeys.timers"));
        Assert.Equal((long)Enrolments, await _rig.ScalarAsync("SELECT count(*) FROM journeys.enrolments WHERE state = 'completed'"));
        Assert.Equal((long)Enrolments, await _rig.ScalarAsync("SELECT count(*) FROM pool.outbox WHERE type LIKE '%.JourneyStep%'"));
        // On the broker: every step's command; each send the dead runner made but never recorded (one per step it had in
        // hand at once, Journeys:StepConcurrency) was published again by the runner that took the step over, under the
        // same message id (a dispatcher takes a message id once).
        await Eventually.True(() => _rig.Commands.Distinct >= Enrolments, TimeSpan.FromSeconds(30), "commands");
        Assert.Equal(recorded.Order(StringComparer.Ordinal), _rig.Commands.Ids.Order(StringComparer.Ordinal));
        Assert.InRange(_rig.Commands.Count, Enrolments + 1L, Enrolments + _rig.Options.StepConcurrency);
        foreach (var id in recorded) Assert.NotNull(await _rig.Status.GetAsync(id));
    }
}

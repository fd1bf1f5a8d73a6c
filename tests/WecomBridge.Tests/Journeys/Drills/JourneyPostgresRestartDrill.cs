using Npgsql;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WecomBridge.Tests.Journeys.Drills;

/// <summary>
/// Two runners working off 300 due steps while their PostgreSQL (a cluster of the drill's own) is stopped and started
/// again: claims fail while it is away; steps whose send was made but whose record failed stay leased and are taken
/// again after the lease, finding their first message under the step's idempotency key.
/// </summary>
[Collection("drills")]
public sealed class JourneyPostgresRestartDrill(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Enrolments = 300;
    private DisposablePostgres _postgres = null!;
    private JourneyDrillRig _rig = null!;

    public async Task InitializeAsync()
    {
        _postgres = await DisposablePostgres.StartAsync();
        _rig = await JourneyDrillRig.CreateAsync(_postgres.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_run_loses_no_step_and_records_none_twice()
    {
        await _rig.EnrolAsync(Enrolments);
        var (a, b) = (_rig.Runner(_rig.Time), _rig.Runner(_rig.Time));
        var running = Task.WhenAll(UntilFailureAsync(a), UntilFailureAsync(b));
        await Eventually.True(async () => await _rig.ScalarAsync("SELECT count(*) FROM journeys.steps") >= 60, TimeSpan.FromSeconds(30),
            "steps recorded before the stop");

        await _postgres.StopAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30)); // each runner's next claim fails
        await _postgres.StartAgainAsync();
        var before = await _rig.ScalarAsync("SELECT count(*) FROM journeys.steps");
        Assert.InRange(before, 60, Enrolments - 1);

        // The runners claim again (a claim that fails is tried again, as the runner's loop does); steps left leased by
        // the stop are due once their lease has ended.
        await Eventually.True(async () =>
        {
            await Task.WhenAll(UntilFailureAsync(a), UntilFailureAsync(b));
            if (await _rig.ScalarAsync("SELECT count(*) FROM journeys.timers") == 0) return true;
            _rig.Time.Advance(_rig.Options.Lease);
            return false;
        }, TimeSpan.FromSeconds(60), "every step recorded after the restart");

        var recorded = await _rig.RecordedMessagesAsync();
        Assert.Equal(Enrolments, recorded.Count);
        Assert.Equal(Enrolments, recorded.Distinct().Count());
        Assert.Equal((long)Enrolments, await _rig.ScalarAsync("SELECT count(*) FROM journeys.enrolments WHERE state = 'completed'"));
        Assert.Equal((long)Enrolments, await _rig.ScalarAsync("SELECT count(*) FROM pool.outbox WHERE type LIKE '%.JourneyStep%'"));
        // On the broker: every step's command. A step sent while its record failed was published again under the same
        // message id when taken over; at most the rest of each runner's batch was in that case.
        await Eventually.True(() => _rig.Commands.Distinct >= Enrolments, TimeSpan.FromSeconds(30), "commands");
        Assert.Equal(recorded.Order(StringComparer.Ordinal), _rig.Commands.Ids.Order(StringComparer.Ordinal));
        Assert.InRange(_rig.Commands.Count - Enrolments, 0, 2 * _rig.Options.BatchSize);
        output.WriteLine($"recorded before the stop {before}, after {recorded.Count}; commands {_rig.Commands.Count}, "
            + $"distinct {_rig.Commands.Distinct}");
        foreach (var id in recorded) Assert.NotNull(await _rig.Status.GetAsync(id));
    }

    /// <summary>Claims until none comes back or the database fails (the runner's loop logs that and claims again later).</summary>
    private static async Task UntilFailureAsync(JourneyRunner runner)
    {
        try
        {
            await JourneyRunners.DrainAsync(runner);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
        }
    }
}

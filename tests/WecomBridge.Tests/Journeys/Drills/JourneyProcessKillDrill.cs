using Npgsql;
using StackExchange.Redis;
using WecomBridge.Fakes;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys.Definitions;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WecomBridge.Tests.Journeys.Drills;

/// <summary>
/// Two dispatcher processes of the app run journeys on one PostgreSQL, Redis and RabbitMQ and send to a WeCom fake;
/// one is SIGKILLed in the middle of the run, holding leased steps and with sends in flight. The other takes the
/// dead one's steps once their lease ends and finishes the run: every step recorded once, with one message, and one
/// task per contact at the fake.
/// </summary>
[Collection("drills")]
public sealed class JourneyProcessKillDrill(ITestOutputHelper output)
{
    private const int Enrolments = 2000;
    private const string Journey = "kill";
    private const string TaskPath = "/cgi-bin/externalcontact/add_msg_template";
    /// <summary>The steps fall due over this window, faster than two runners take them: batches come back full.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly JourneyRuntimeOptions _journeys = new()
    {
        BatchSize = 20, Lease = TimeSpan.FromSeconds(15), PollInterval = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task A_runner_process_killed_mid_run_leaves_its_steps_to_the_other_each_taken_once()
    {
        using var wecom = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        JourneyProcesses.Seed(wecom, Enrolments);
        var postgres = await JourneyDrillRig.CreateDatabaseAsync(TestServers.Postgres);
        var prefix = "jkill" + Guid.NewGuid().ToString("N")[..8];
        var settings = JourneyProcesses.Settings(postgres, prefix, wecom, oa, _journeys, out var corp);
        await using var commands = await SendCommandSink.StartAsync(TestServers.RabbitMq, prefix + ".tap", prefix, deleteQueue: true);
        int version;
        await using (var dataSource = NpgsqlDataSource.Create(postgres))
            version = (await OneStepJourney.SaveAsync(new PostgresJourneyDefinitionStore(dataSource, TimeProvider.System), corp, Journey)).Version;
        await using var doomed = new GatewayProcess(settings, "journeys-doomed");
        await using var survivor = new GatewayProcess(settings, "journeys-survivor");
        await Task.WhenAll(doomed.StartAsync(), survivor.StartAsync());

        await JourneyFill.RunAsync(postgres, corp, Journey, version, DateTimeOffset.UtcNow, Window, Enrolments);
        await Eventually.True(async () => (await JourneyTally.ReadAsync(postgres)).Steps >= Enrolments / 4
            && (await JourneyProcesses.HeldByAsync(postgres, doomed.ProcessId)).Count > 0, TimeSpan.FromSeconds(120),
            "a quarter of the steps recorded, the doomed process holding leased steps");
        await doomed.KillAsync();
        // What the dead process held when it died: its claims are in the table; nothing of it moves them any more.
        var held = await JourneyProcesses.HeldByAsync(postgres, doomed.ProcessId);
        var atKill = await JourneyTally.ReadAsync(postgres);

        var tally = await Eventually.Get(() => JourneyTally.ReadAsync(postgres), t => t.Timers == 0, TimeSpan.FromSeconds(240),
            "every step taken by the survivor");
        Assert.Equal(new JourneyTally(Enrolments, Enrolments, Enrolments, 0, Enrolments, 0), tally with { OutboxSteps = 0 });
        var messages = await JourneyProcesses.StepMessagesAsync(postgres);
        await Eventually.True(() => commands.Distinct >= Enrolments, TimeSpan.FromSeconds(30), "every step's command on the broker");
        Assert.Equal(messages.Values.Order(StringComparer.Ordinal), commands.Ids.Order(StringComparer.Ordinal));

        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var store = new RedisSendStatusStore(redis, TimeSpan.FromHours(1));
        var statuses = await Eventually.Get(() => JourneyProcesses.StatusesAsync(store, messages.Values),
            s => s.Values.All(v => v is { IsFinished: true }), TimeSpan.FromSeconds(120), "every send finished");
        var tasks = wecom.Data.MsgTemplates.ToArray().SelectMany(t => t.Results)
            .Where(r => r.ExternalUserId is { } contact && messages.ContainsKey(contact)).GroupBy(r => r.ExternalUserId!)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var sent = messages.Where(m => statuses[m.Value]!.State == SendStates.Sent).Select(m => m.Key).ToList();
        var ambiguous = messages.Where(m => statuses[m.Value]!.State == SendStates.Ambiguous).Select(m => m.Key).ToList();

        output.WriteLine($"steps {Enrolments}; recorded when the kill came {atKill.Steps}; held by the dead process {held.Count} "
            + $"(taken again after the lease); recorded {tally.Steps}, distinct message ids {tally.DistinctMessages}, completed {tally.Completed}");
        output.WriteLine($"commands {commands.Count}, distinct {commands.Distinct}, copies {commands.Copies} (a send made but not recorded, "
            + $"published again under its message id); sends sent {sent.Count}, ambiguous {ambiguous.Count} "
            + $"(of which at the fake {ambiguous.Count(tasks.ContainsKey)})");
        foreach (var g in statuses.Values.GroupBy(v => (v!.State, v.Reason)).OrderBy(g => g.Key.State, StringComparer.Ordinal))
            output.WriteLine($"sends {g.Key.State}: {g.Count()} ({g.Key.Reason ?? "no reason"})");
        output.WriteLine($"add_msg_template calls {wecom.Journal.Count(TaskPath)}; tasks at the fake {tasks.Values.Sum()}, "
            + $"contacts with more than one {tasks.Values.Count(n => n > 1)}");

        Assert.NotEmpty(held);
        // A repeat of a step's send carries its message id: the dead runner's last send, and any step whose lease ran out
        // under load while its runner was still at it (the lease holder alone records it).
        Assert.InRange(commands.Copies, 0, _journeys.BatchSize);
        // Each send ended with an outcome the CRM is told of: sent, or in doubt (ambiguous) or failed with its reason.
        Assert.All(statuses.Values, s => Assert.Contains(s!.State, new[] { SendStates.Sent, SendStates.Ambiguous, SendStates.Failed }));
        Assert.All(tasks, t => Assert.Equal(1, t.Value));
        Assert.All(sent, contact => Assert.True(tasks.ContainsKey(contact), $"sent task of {contact} at the fake"));
    }
}

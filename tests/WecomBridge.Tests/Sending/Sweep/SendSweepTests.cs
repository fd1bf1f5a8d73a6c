using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Sweep;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Sweep;

/// <summary>The sweeper settles each stuck state once, on a fake clock, against the real Redis and in memory.</summary>
[Collection(nameof(SendSweepTests))] // one sweep at a time in the sweeper's Redis database
public class SendSweepTests
{
    public static TheoryData<string> Stores => new() { "redis", "memory" };

    private static readonly SweepOptions Options = new()
    {
        AcceptedFor = TimeSpan.FromMinutes(30), DeferredFor = TimeSpan.FromMinutes(20), SendingFor = TimeSpan.FromMinutes(5), BatchSize = 10_000,
    };

    private sealed record Rig(ISendStatusStore Store, RecordingPublisher Events, FakeTimeProvider Clock, IDisposable? Connection)
    {
        public SendSweep Sweep() => new(Store, new SendResults(Store, Events, Clock), Microsoft.Extensions.Options.Options.Create(Options), Clock,
            NullLogger<SendSweep>.Instance);
    }

    private static async Task<Rig> CreateAsync(string kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        if (kind == "memory") return new Rig(new InMemorySendStatusStore(clock), new RecordingPublisher(), clock, null);
        // A database of its own: a sweep settles every stuck message it finds, and other tests' sends must not be among them.
        var options = ConfigurationOptions.Parse(TestServers.Redis);
        options.DefaultDatabase = 7;
        var redis = await ConnectionMultiplexer.ConnectAsync(options);
        return new Rig(new RedisSendStatusStore(redis, TimeSpan.FromHours(1)), new RecordingPublisher(), clock, redis);
    }

    private static async Task<SendStatus> AcceptAsync(Rig rig, string kind = SendKinds.CustomerTask)
    {
        var now = rig.Clock.GetUtcNow();
        var status = new SendStatus(Guid.CreateVersion7().ToString("N"), kind, "acme", null, null, "crm", SendStates.Accepted, now, now);
        await rig.Store.AcceptAsync(status, null, "", TimeSpan.FromHours(1));
        return status;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_accepted_message_never_taken_fails_as_lost_after_its_bound_and_not_before(string kind)
    {
        var rig = await CreateAsync(kind);
        using var _ = rig.Connection;
        var status = await AcceptAsync(rig);

        rig.Clock.Advance(Options.AcceptedFor - TimeSpan.FromMinutes(1));
        await rig.Sweep().RunOnceAsync(default);
        Assert.Equal(SendStates.Accepted, (await rig.Store.GetAsync(status.MessageId))!.State);

        rig.Clock.Advance(TimeSpan.FromMinutes(2));
        await rig.Sweep().RunOnceAsync(default);
        var swept = (await rig.Store.GetAsync(status.MessageId))!;
        Assert.Equal((SendStates.Failed, SendSweep.NeverTaken), (swept.State, swept.Reason));
        var failed = Assert.Single(rig.Events.Of<MessageFailed>(), e => e.GetProperty("messageId").GetString() == status.MessageId);
        Assert.Equal(SendSweep.NeverTaken, failed.GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_deferred_message_well_past_its_time_fails_as_lost(string kind)
    {
        var rig = await CreateAsync(kind);
        using var _ = rig.Connection;
        var status = await AcceptAsync(rig);
        var until = rig.Clock.GetUtcNow().AddMinutes(10);
        await rig.Store.SaveAsync(status with { State = SendStates.Deferred, DeferredUntil = until, Reason = "quiet-hours" });

        rig.Clock.Advance(TimeSpan.FromMinutes(10) + Options.DeferredFor - TimeSpan.FromSeconds(30));
        await rig.Sweep().RunOnceAsync(default);
        Assert.Equal(SendStates.Deferred, (await rig.Store.GetAsync(status.MessageId))!.State);

        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        await rig.Sweep().RunOnceAsync(default);
        Assert.Equal((SendStates.Failed, SendSweep.DelayLost), Of(await rig.Store.GetAsync(status.MessageId)));
        Assert.Single(rig.Events.Of<MessageFailed>(), e => e.GetProperty("messageId").GetString() == status.MessageId);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_sending_message_past_its_lease_is_settled_as_the_claim_settles_an_abandoned_lease(string kind)
    {
        var rig = await CreateAsync(kind);
        using var _ = rig.Connection;
        var task = await AcceptAsync(rig);
        var template = await AcceptAsync(rig, SendKinds.Template);
        var uncalled = await AcceptAsync(rig);
        var lease = TimeSpan.FromMinutes(2);
        // Redis leases run on Redis's clock, which the fake clock starts from.
        var claim = await rig.Store.ClaimAsync(task.MessageId, task, rig.Clock.GetUtcNow(), lease, null);
        await rig.Store.MarkCallAsync(task.MessageId, claim.Status.Owner!, rig.Clock.GetUtcNow(), null);
        claim = await rig.Store.ClaimAsync(template.MessageId, template, rig.Clock.GetUtcNow(), lease, null);
        await rig.Store.MarkCallAsync(template.MessageId, claim.Status.Owner!, rig.Clock.GetUtcNow(), null);
        await rig.Store.ClaimAsync(uncalled.MessageId, uncalled, rig.Clock.GetUtcNow(), lease, null);

        rig.Clock.Advance(lease);
        await rig.Sweep().RunOnceAsync(default);
        Assert.Equal(SendStates.Sending, (await rig.Store.GetAsync(task.MessageId))!.State); // within the grace

        rig.Clock.Advance(Options.SendingFor + TimeSpan.FromMinutes(1));
        await rig.Sweep().RunOnceAsync(default);

        // Not repeatable and its call started: it may have reached WeCom. A template WeCom dedupes, and a send whose
        // request never left: lost, so a repeat sends it.
        Assert.Equal((SendStates.Ambiguous, SendSweep.Abandoned), Of(await rig.Store.GetAsync(task.MessageId)));
        Assert.Equal((SendStates.Failed, SendSweep.HolderStopped), Of(await rig.Store.GetAsync(template.MessageId)));
        Assert.Equal((SendStates.Failed, SendSweep.HolderStopped), Of(await rig.Store.GetAsync(uncalled.MessageId)));
        Assert.Single(rig.Events.Of<MessageOutcomeUnknown>(), e => e.GetProperty("messageId").GetString() == task.MessageId);
        Assert.Single(rig.Events.Of<MessageFailed>(), e => e.GetProperty("messageId").GetString() == template.MessageId);
        Assert.Single(rig.Events.Of<MessageFailed>(), e => e.GetProperty("messageId").GetString() == uncalled.MessageId);
    }

    [Fact]
    public async Task Two_instances_sweeping_at_once_settle_each_message_once()
    {
        var rig = await CreateAsync("redis");
        using var _ = rig.Connection;
        var ids = new List<string>();
        for (var i = 0; i < 20; i++) ids.Add((await AcceptAsync(rig)).MessageId);
        rig.Clock.Advance(Options.AcceptedFor + TimeSpan.FromMinutes(1));

        var other = rig with { Events = new RecordingPublisher() };
        await Task.WhenAll(rig.Sweep().RunOnceAsync(default), other.Sweep().RunOnceAsync(default));

        var events = rig.Events.Of<MessageFailed>().Concat(other.Events.Of<MessageFailed>())
            .Select(e => e.GetProperty("messageId").GetString()!).Where(ids.Contains).ToList();
        Assert.Equal(ids.Order(), events.Order());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_finished_or_cancelled_message_is_never_swept(string kind)
    {
        var rig = await CreateAsync(kind);
        using var _ = rig.Connection;
        var status = await AcceptAsync(rig);
        var seen = (await rig.Store.GetAsync(status.MessageId))!;
        Assert.True(await rig.Store.SettleAsync(seen with { State = SendStates.Dropped, Reason = SendDrops.Cancelled }, seen));

        rig.Clock.Advance(TimeSpan.FromDays(1));
        await rig.Sweep().RunOnceAsync(default);

        Assert.Equal((SendStates.Dropped, SendDrops.Cancelled), Of(await rig.Store.GetAsync(status.MessageId)));
        Assert.DoesNotContain(rig.Events.Of<MessageFailed>(), e => e.GetProperty("messageId").GetString() == status.MessageId);
    }

    private static (string, string?) Of(SendStatus? status) => (status!.State, status.Reason);
}

using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Pool;
using WecomBridge.Pool.Activity;
using static WecomBridge.Tests.Pool.Activity.FollowerActivityEvents;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool.Activity;

/// <summary>
/// Activity, stages and the burst guard, the same in every store: newer interactions win, reports apply once and only to
/// known contacts, stages follow the rules on a fake clock with one event per change, bursts raise one event each.
/// </summary>
public abstract class PoolActivityContract : IAsyncLifetime
{
    protected const int BurstLimit = 3;
    private readonly PoolProjection _projection = new(Options.Create(new PoolOptions()));
    private IPoolStore _store = null!;

    protected FakeTimeProvider Clock { get; } = new(T0.AddSeconds(30));

    internal IPoolActivityStore Activity => (IPoolActivityStore)_store;

    internal abstract Task<IPoolStore> CreateStoreAsync(ActivityRules rules);

    public virtual async Task InitializeAsync()
    {
        var stages = new StageOptions
        {
            NewFor = TimeSpan.FromDays(7), DormantAfter = TimeSpan.FromDays(30), LostAfter = TimeSpan.FromDays(90),
        };
        var burst = new BurstGuardOptions { AddsPerMinute = BurstLimit, States = { ["big"] = 100, ["off"] = 0 } };
        _store = await CreateStoreAsync(new ActivityRules(Options.Create(stages), Options.Create(burst), Clock));
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<bool> Apply(object message) => await _store.ApplyAsync(PoolProjection.EventId(message), _projection.Map(message)!);

    private async Task ApplyAll(params object[] messages)
    {
        foreach (var m in messages) await Apply(m);
    }

    private async Task<PoolContact> Contact(string ext) => await _store.GetContactAsync(Corp, ext) ?? throw new Xunit.Sdk.XunitException("no contact");

    private Task<ReportOutcome> Report(string ext, int at, string kind, string? id = null) =>
        Activity.ReportAsync(id ?? Guid.NewGuid().ToString("N"), new ContactInteraction(Corp, ext, At(at), kind));

    /// <summary>Everything in the outbox, published (and so taken out of it).</summary>
    private async Task<List<(string Type, JsonElement Json)>> Drain()
    {
        var events = new List<(string, JsonElement)>();
        await Activity.PublishOutboxAsync(e =>
        {
            events.Add((e.Type.Split('.')[^1], JsonDocument.Parse(e.Body).RootElement.Clone()));
            return Task.CompletedTask;
        }, 1000);
        return events;
    }

    [Fact]
    public async Task Adds_group_joins_and_reports_set_the_last_interaction_and_the_newest_wins()
    {
        await Apply(Added("wmA", "zhangsan", 0, "qr"));
        Assert.Equal((At(0), "added"), ((await Contact("wmA")).LastInteractionAt, (await Contact("wmA")).LastInteractionKind));

        await ApplyAll(Joined("chat1", 5, "wmA", "zhangsan"), Joined("chat2", 2, "wmA"));
        var outcome = await Report("wmA", 3, "purchase");
        Assert.Equal((ReportStatus.Applied, At(5), "group_join"), (outcome.Status, outcome.LastInteractionAt, outcome.LastInteractionKind));

        outcome = await Report("wmA", 9, "purchase");
        Assert.Equal((At(9), "purchase", "new"), (outcome.LastInteractionAt, outcome.LastInteractionKind, outcome.Stage));
        await Apply(Added("wmA", "lisi", 7)); // an older add leaves the newer report
        Assert.Equal((At(9), "purchase"), ((await Contact("wmA")).LastInteractionAt, (await Contact("wmA")).LastInteractionKind));
    }

    [Fact]
    public async Task A_re_sync_gives_the_add_time_as_the_last_interaction()
    {
        await Apply(ContactResync("wmR", "u1", 30, state: "winter"));

        Assert.Equal((At(0), "added"), ((await Contact("wmR")).LastInteractionAt, (await Contact("wmR")).LastInteractionKind));
    }

    [Fact]
    public async Task A_report_with_an_id_applies_once_and_one_about_an_unknown_contact_records_nothing()
    {
        await Apply(Added("wmA", "zhangsan", 0));

        Assert.Equal(ReportStatus.Applied, (await Report("wmA", 4, "purchase", "order-1")).Status);
        var again = await Report("wmA", 6, "refund", "order-1");
        Assert.Equal((ReportStatus.Duplicate, At(4), "purchase"), (again.Status, again.LastInteractionAt, again.LastInteractionKind));

        Assert.Equal(ReportStatus.Unknown, (await Report("wmNobody", 4, "purchase", "order-2")).Status);
        Assert.Null(await _store.GetContactAsync(Corp, "wmNobody"));
        Assert.Equal(ReportStatus.Unknown, (await Activity.ReportAsync("x", new FollowerInteraction(Account, "oNobody", At(1), "click"))).Status);
        Assert.Null(await _store.GetFollowerAsync(Account, "oNobody"));
    }

    [Fact]
    public async Task Follower_events_set_the_followers_last_interaction_and_an_unseen_follower_is_recorded_as_subscribed()
    {
        await ApplyAll(Subscribed("o1", 0, "winter-qr"), Message("o1", 4), Clicked("o1", 2), Scanned("o2", 3));

        var f = await _store.GetFollowerAsync(Account, "o1");
        Assert.Equal((At(4), "message"), (f!.LastInteractionAt, f.LastInteractionKind));
        var seen = await _store.GetFollowerAsync(Account, "o2");
        Assert.Equal((true, At(3), "scan"), (seen!.Subscribed, seen.LastInteractionAt, seen.LastInteractionKind));

        await ApplyAll(Viewed("o1", 6), Unsubscribed("o2", 5));
        Assert.Equal("menu_view", (await _store.GetFollowerAsync(Account, "o1"))!.LastInteractionKind);
        Assert.False((await _store.GetFollowerAsync(Account, "o2"))!.Subscribed); // newer than the scan
        var reported = await Activity.ReportAsync("r1", new FollowerInteraction(Account, "o1", At(8), "coupon_used"));
        Assert.Equal((ReportStatus.Applied, At(8), "coupon_used", (string?)null),
            (reported.Status, reported.LastInteractionAt, reported.LastInteractionKind, reported.Stage));
    }

    [Fact]
    public async Task Stages_follow_the_rules_on_interactions_deletions_and_the_pass_with_one_event_per_change()
    {
        await Apply(Added("wmA", "zhangsan", 0, "qr"));
        Assert.Equal("new", (await Contact("wmA")).Stage);
        Assert.Empty(await Drain());

        Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, await Activity.RestageAllAsync(Clock.GetUtcNow(), 2));
        Assert.Equal(0, await Activity.RestageAllAsync(Clock.GetUtcNow(), 2)); // nothing changes twice
        Clock.Advance(TimeSpan.FromDays(30));
        await Activity.RestageAllAsync(Clock.GetUtcNow(), 2);
        var dormant = await Contact("wmA");
        Assert.Equal(("dormant", Clock.GetUtcNow()), (dormant.Stage, dormant.StageChangedAt));

        var back = Clock.GetUtcNow() - T0;
        Assert.Equal("active", (await Report("wmA", (int)back.TotalMinutes, "purchase")).Stage);
        await Apply(DeletedByCustomer("wmA", "zhangsan", (int)back.TotalMinutes + 1));
        Assert.Equal("lost", (await Contact("wmA")).Stage);

        var events = await Drain();
        Assert.All(events, e => Assert.Equal("ContactStageChanged", e.Type));
        Assert.Equal(["new>active", "active>dormant", "dormant>active", "active>lost"],
            events.Select(e => e.Json.GetProperty("previousStage").GetString() + ">" + e.Json.GetProperty("stage").GetString()));
        Assert.Equal(4, events.Select(e => e.Json.GetProperty("eventId").GetString()).Distinct().Count());
        Assert.Empty(await Drain());
    }

    [Fact]
    public async Task Contacts_without_interactions_for_long_are_lost_and_the_pass_goes_through_every_batch()
    {
        foreach (var i in Enumerable.Range(0, 5)) await Apply(Added($"wm{i}", "u1", 0));
        await Apply(Added("wm9", "u1", 0));
        Clock.Advance(TimeSpan.FromDays(91));
        await Report("wm9", (int)TimeSpan.FromDays(80).TotalMinutes, "purchase");

        Assert.Equal("active", (await Contact("wm9")).Stage); // the report moved it already

        Assert.Equal(5, await Activity.RestageAllAsync(Clock.GetUtcNow(), 2));
        Assert.Equal(["lost", "lost", "lost", "lost", "lost"], await Task.WhenAll(Enumerable.Range(0, 5).Select(async i => (await Contact($"wm{i}")).Stage)));
        Assert.Equal("active", (await Contact("wm9")).Stage);
    }

    [Fact]
    public async Task The_outbox_keeps_what_a_failed_publish_did_not_send_and_sends_it_again_with_the_same_id()
    {
        foreach (var i in Enumerable.Range(0, 3)) await Apply(Added($"wm{i}", "u1", 0));
        Clock.Advance(TimeSpan.FromDays(8));
        await Activity.RestageAllAsync(Clock.GetUtcNow(), 100);

        var first = new List<string>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Activity.PublishOutboxAsync(e =>
        {
            if (first.Count == 1) throw new InvalidOperationException("broker away");
            first.Add(e.EventId);
            return Task.CompletedTask;
        }, 100));
        var rest = await Drain();

        Assert.Equal(2, rest.Count);
        Assert.DoesNotContain(first[0], rest.Select(e => e.Json.GetProperty("eventId").GetString()));
    }

    [Fact]
    public async Task A_burst_of_adds_through_one_channel_flags_its_contacts_and_raises_one_event_per_burst()
    {
        // Minute 0: three adds are normal, the fourth and fifth make a burst; minute 1 continues it; minute 3 is a new one.
        foreach (var i in Enumerable.Range(0, 5)) await Apply(Added($"wmB{i}", "u1", 0, "qr") with { OccurredAt = At(0).AddSeconds(i) });
        foreach (var i in Enumerable.Range(0, 4)) await Apply(Added($"wmC{i}", "u1", 1, "qr"));
        await Apply(Added("wmD0", "u1", 2, "qr"));
        foreach (var i in Enumerable.Range(0, 4)) await Apply(Added($"wmE{i}", "u1", 3, "qr"));
        foreach (var i in Enumerable.Range(0, 4)) await Apply(Added($"wmO{i}", "u1", 0, "other"));
        foreach (var i in Enumerable.Range(0, 6)) await Apply(Added($"wmG{i}", "u1", 0, "big"));

        foreach (var i in Enumerable.Range(0, 5)) Assert.Equal(At(0), (await Contact($"wmB{i}")).BurstFlaggedAt);
        foreach (var i in Enumerable.Range(0, 4)) Assert.Equal(At(0), (await Contact($"wmC{i}")).BurstFlaggedAt);
        Assert.Null((await Contact("wmD0")).BurstFlaggedAt);
        foreach (var i in Enumerable.Range(0, 4)) Assert.Equal(At(3), (await Contact($"wmE{i}")).BurstFlaggedAt);
        Assert.Equal(At(0), (await Contact("wmO3")).BurstFlaggedAt);
        Assert.Null((await Contact("wmG5")).BurstFlaggedAt);

        var bursts = (await Drain()).Where(e => e.Type == "ChannelBurstDetected").Select(e => e.Json).ToList();
        Assert.Equal([("qr", At(0)), ("qr", At(3)), ("other", At(0))],
            bursts.Select(b => (b.GetProperty("state").GetString(), b.GetProperty("startedAt").GetDateTimeOffset()))
                .OrderBy(b => b.Item1 == "other").ThenBy(b => b.Item2));
        var first = bursts.First(b => b.GetProperty("state").GetString() == "qr");
        Assert.Equal((4, BurstLimit, "acme"), (first.GetProperty("adds").GetInt32(), first.GetProperty("limit").GetInt32(),
            first.GetProperty("corp").GetString()));
    }

    [Fact]
    public async Task Adds_applied_at_once_raise_exactly_one_burst_event_and_flag_every_contact()
    {
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Apply(Added($"wmP{i:D2}", "u1", 0, "qr"))));

        Assert.Single(await Drain(), e => e.Type == "ChannelBurstDetected");
        foreach (var i in Enumerable.Range(0, 12)) Assert.Equal(At(0), (await Contact($"wmP{i:D2}")).BurstFlaggedAt);
    }
}

public sealed class InMemoryPoolActivityTests : PoolActivityContract
{
    internal override Task<IPoolStore> CreateStoreAsync(ActivityRules rules) => Task.FromResult<IPoolStore>(new InMemoryPoolStore(rules));
}

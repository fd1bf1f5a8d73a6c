using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Status;

/// <summary>The send-status store's rules, the same in Redis and in memory.</summary>
public class SendStatusStoreTests
{
    public static TheoryData<string> Stores => new() { "redis", "memory" };

    private static async Task<(ISendStatusStore Store, IDisposable? Connection)> CreateAsync(string kind)
    {
        if (kind == "memory") return (new InMemorySendStatusStore(TimeProvider.System), null);
        var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        return (new RedisSendStatusStore(redis, TimeSpan.FromMinutes(5)), redis);
    }

    private static SendStatus Fresh(string? id = null) => new(id ?? Guid.CreateVersion7().ToString("N"), SendKinds.Template, null, null,
        "brand", "crm", SendStates.Accepted, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_idempotency_key_maps_to_its_first_message_and_says_whether_the_body_is_the_same(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var key = "crm:" + Guid.NewGuid().ToString("N");
        var first = Fresh();

        var created = await store.AcceptAsync(first, key, "hash-a", TimeSpan.FromMinutes(1));
        var same = await store.AcceptAsync(Fresh(), key, "hash-a", TimeSpan.FromMinutes(1));
        var other = await store.AcceptAsync(Fresh(), key, "hash-b", TimeSpan.FromMinutes(1));

        Assert.Equal(new AcceptResult(first.MessageId, true, true), created);
        Assert.Equal(new AcceptResult(first.MessageId, false, true), same);
        Assert.Equal(new AcceptResult(first.MessageId, false, false), other);
        Assert.Equal(SendStates.Accepted, (await store.GetAsync(first.MessageId))!.State);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_claim_holds_a_lease_and_a_copy_sees_it_in_flight_then_takes_it_unless_a_call_had_started(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();
        await store.AcceptAsync(status, null, "", TimeSpan.FromMinutes(1));
        var lease = TimeSpan.FromMilliseconds(300);

        var first = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, null);
        var copy = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, null);
        Assert.Equal((ClaimOutcome.Claimed, SendStates.Sending), (first.Outcome, first.Status.State));
        Assert.NotNull(first.Status.Owner);
        Assert.Equal(ClaimOutcome.InFlight, copy.Outcome);

        // No call recorded: the holder stopped before its request, so the message is simply taken again.
        var again = await LeaseEndedAsync(store, status, lease, null);
        Assert.Equal(ClaimOutcome.Claimed, again.Outcome);
        Assert.NotEqual(first.Status.Owner, again.Status.Owner);

        var now = DateTimeOffset.UtcNow;
        Assert.Equal(CallMarkOutcome.First, (await store.MarkCallAsync(status.MessageId, again.Status.Owner!, now, null)).Outcome);
        var abandoned = await LeaseEndedAsync(store, status, lease, null);
        Assert.Equal(ClaimOutcome.Abandoned, abandoned.Outcome);
        Assert.NotNull(abandoned.Status.FirstCallAt);

        var retaken = await LeaseEndedAsync(store, status, lease, TimeSpan.FromMinutes(10));
        Assert.Equal(ClaimOutcome.Retaken, retaken.Outcome);
        Assert.True(await store.SaveAsync(retaken.Status with { State = SendStates.Sent, MsgId = "42" }));
        var finished = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, TimeSpan.FromMinutes(10));
        Assert.Equal((ClaimOutcome.Finished, "42"), (finished.Outcome, finished.Status.MsgId));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Only_the_owner_of_a_claim_saves_over_it_and_a_stale_owner_cannot(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();
        var lease = TimeSpan.FromMilliseconds(300);
        var stale = (await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, null)).Status;
        await store.MarkCallAsync(status.MessageId, stale.Owner!, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10));
        var current = (await LeaseEndedAsync(store, status, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10))).Status;

        Assert.False(await store.SaveAsync(stale with { State = SendStates.Sent, MsgId = "stale" }));
        Assert.False(await store.SaveAsync(status with { State = SendStates.Failed })); // no owner: never over a claim
        Assert.Equal(CallMarkOutcome.NotOwner, (await store.MarkCallAsync(status.MessageId, stale.Owner!, DateTimeOffset.UtcNow, null)).Outcome);
        Assert.Equal(SendStates.Sending, (await store.GetAsync(status.MessageId))!.State);

        Assert.True(await store.SaveAsync(current with { State = SendStates.Sent, MsgId = "current" }));
        Assert.False(await store.SaveAsync(stale with { State = SendStates.Sent, MsgId = "stale" }));
        var stored = (await store.GetAsync(status.MessageId))!;
        Assert.Equal(("current", null), (stored.MsgId, stored.Owner));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_released_claim_is_taken_at_once_and_forgets_a_call_that_never_left(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();
        var claim = (await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), null)).Status;

        Assert.True(await store.SaveAsync(claim with { State = SendStates.Accepted }));

        var next = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), null);
        Assert.Equal(ClaimOutcome.Claimed, next.Outcome);
        Assert.Null(next.Status.FirstCallAt);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_repeat_of_an_unknown_call_is_allowed_only_within_the_window_of_the_first(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var status = Fresh();
        var window = TimeSpan.FromMinutes(9);
        var owner = (await store.ClaimAsync(status.MessageId, status, clock.GetUtcNow(), TimeSpan.FromMinutes(5), window)).Status.Owner!;
        var first = await store.MarkCallAsync(status.MessageId, owner, clock.GetUtcNow(), window);
        var started = first.FirstCallAt!.Value;

        clock.Advance(TimeSpan.FromMinutes(8));
        var repeat = await store.MarkCallAsync(status.MessageId, owner, clock.GetUtcNow(), window);
        clock.Advance(TimeSpan.FromMinutes(2));
        var late = await store.MarkCallAsync(status.MessageId, owner, clock.GetUtcNow(), window);
        var never = await store.MarkCallAsync(status.MessageId, owner, clock.GetUtcNow(), null);

        Assert.Equal(CallMarkOutcome.First, first.Outcome);
        Assert.Equal((CallMarkOutcome.Repeat, started), (repeat.Outcome, repeat.FirstCallAt!.Value));
        Assert.Equal(CallMarkOutcome.WindowPassed, late.Outcome);
        Assert.Equal(CallMarkOutcome.WindowPassed, never.Outcome);
        Assert.Equal(started, (await store.GetAsync(status.MessageId))!.FirstCallAt);
    }

    /// <summary>Claims again once the lease has ended (on the store's clock).</summary>
    private static Task<ClaimResult> LeaseEndedAsync(ISendStatusStore store, SendStatus status, TimeSpan lease, TimeSpan? window) =>
        Eventually.Get(() => store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, window),
            c => c.Outcome != ClaimOutcome.InFlight, TimeSpan.FromSeconds(5), "the lease ends");

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_claim_of_an_unknown_message_stores_it_first(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();

        var claim = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), null);

        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal(SendStates.Sending, (await store.GetAsync(status.MessageId))!.State);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_conditional_save_happens_only_while_the_state_is_the_expected_one(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();
        await store.AcceptAsync(status, null, "", TimeSpan.FromMinutes(1));
        await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), null);

        // The API's late "not queued" must not overwrite a dispatcher that already took the message.
        Assert.False(await store.SaveIfAsync(status with { State = SendStates.Failed, Reason = "not queued" }, SendStates.Accepted));
        Assert.Equal(SendStates.Sending, (await store.GetAsync(status.MessageId))!.State);

        var other = Fresh();
        await store.AcceptAsync(other, null, "", TimeSpan.FromMinutes(1));
        Assert.True(await store.SaveIfAsync(other with { State = SendStates.Failed, Reason = "not queued" }, SendStates.Accepted));
        Assert.Equal("not queued", (await store.GetAsync(other.MessageId))!.Reason);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_index_of_unfinished_messages_follows_every_write(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();
        await store.AcceptAsync(status, null, "", TimeSpan.FromMinutes(1));
        var later = DateTimeOffset.UtcNow.AddMinutes(10);

        Assert.Contains(status.MessageId, await store.ListOpenAsync(SendStates.Accepted, later, 100_000));
        var claim = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), null);
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Accepted, later, 100_000));
        Assert.Contains(status.MessageId, await store.ListOpenAsync(SendStates.Sending, later, 100_000));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Sending, DateTimeOffset.UtcNow, 100_000)); // lease ahead

        // A claim released before its call goes back to the accepted index; taken again, to the sending one.
        Assert.True(await store.SaveAsync(claim.Status with { State = SendStates.Accepted }));
        Assert.Contains(status.MessageId, await store.ListOpenAsync(SendStates.Accepted, later, 100_000));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Sending, later, 100_000));
        claim = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), null);
        Assert.Contains(status.MessageId, await store.ListOpenAsync(SendStates.Sending, later, 100_000));

        var until = DateTimeOffset.UtcNow.AddMinutes(5);
        await store.SaveAsync(claim.Status with { State = SendStates.Deferred, DeferredUntil = until });
        Assert.Contains(status.MessageId, await store.ListOpenAsync(SendStates.Deferred, until, 100_000));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Deferred, until.AddSeconds(-1), 100_000));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Sending, later, 100_000));

        await store.SaveAsync(claim.Status with { State = SendStates.Sent, Owner = null });
        foreach (var state in new[] { SendStates.Accepted, SendStates.Deferred, SendStates.Sending })
            Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(state, later, 100_000));

        // A repeat that takes the right to queue a not-queued message again puts it back in the accepted index.
        var notQueued = Fresh();
        await store.AcceptAsync(notQueued, null, "", TimeSpan.FromMinutes(1));
        await store.SaveIfAsync(notQueued with { State = SendStates.Failed, Reason = "not queued" }, SendStates.Accepted);
        Assert.DoesNotContain(notQueued.MessageId, await store.ListOpenAsync(SendStates.Accepted, later, 100_000));
        Assert.True(await store.TakeRequeueAsync(notQueued, SendStates.Failed, TimeSpan.FromMinutes(1)));
        Assert.Contains(notQueued.MessageId, await store.ListOpenAsync(SendStates.Accepted, later, 100_000));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Concurrent_accepts_with_one_key_create_one_message_and_every_repeat_gets_its_id(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var key = "crm:" + Guid.NewGuid().ToString("N");

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
            store.AcceptAsync(Fresh(), key, "hash-a", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)))));

        var created = Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal((created.MessageId, true), (r.MessageId, r.SameRequest)));
        Assert.Equal(SendStates.Accepted, (await store.GetAsync(created.MessageId))!.State);
        Assert.Contains(created.MessageId, await store.ListOpenAsync(SendStates.Accepted, DateTimeOffset.UtcNow.AddMinutes(10), 100_000));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_settle_happens_only_while_the_message_is_as_it_was_read(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();
        await store.AcceptAsync(status, null, "", TimeSpan.FromMinutes(1));
        var seen = (await store.GetAsync(status.MessageId))!;
        var dropped = seen with { State = SendStates.Dropped, Reason = "cancelled" };

        // A dispatcher took it meanwhile: the cancel read "accepted" and must not win.
        var claim = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), null);
        Assert.False(await store.SettleAsync(dropped, seen));
        Assert.Equal(SendStates.Sending, (await store.GetAsync(status.MessageId))!.State);

        // Deferred again with a new time between the read and the settle: the settle of the old read fails too.
        var deferred = claim.Status with { State = SendStates.Deferred, DeferredUntil = DateTimeOffset.UtcNow.AddMinutes(1) };
        await store.SaveAsync(deferred);
        var seenDeferred = (await store.GetAsync(status.MessageId))!;
        await store.SaveAsync(deferred with { Owner = null, DeferredUntil = DateTimeOffset.UtcNow.AddMinutes(2) });
        Assert.False(await store.SettleAsync(dropped, seenDeferred));

        var current = (await store.GetAsync(status.MessageId))!;
        Assert.True(await store.SettleAsync(current with { State = SendStates.Dropped, Reason = "cancelled" }, current));
        Assert.False(await store.SettleAsync(current with { State = SendStates.Dropped, Reason = "cancelled" }, current)); // once only
        Assert.Equal((SendStates.Dropped, "cancelled"), ((await store.GetAsync(status.MessageId))!.State, (await store.GetAsync(status.MessageId))!.Reason));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Deferred, DateTimeOffset.UtcNow.AddHours(1), 100_000));

        // A dropped message is finished for a dispatcher's claim.
        var late = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        Assert.Equal(ClaimOutcome.Finished, late.Outcome);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_repeat_requeues_an_accepted_message_only_after_the_hold_and_only_one_repeat_does(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();
        var hold = TimeSpan.FromMinutes(1);
        await store.AcceptAsync(status, "crm:" + Guid.NewGuid().ToString("N"), "h", TimeSpan.FromMinutes(5), hold);

        Assert.False(await store.TakeRequeueAsync(status with { UpdatedAt = status.UpdatedAt + hold / 2 }, SendStates.Accepted, hold));
        var later = status with { UpdatedAt = status.UpdatedAt + hold * 2 };
        var takes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.TakeRequeueAsync(later, SendStates.Accepted, hold))));
        Assert.Single(takes, t => t);

        var notQueued = Fresh();
        await store.AcceptAsync(notQueued, null, "", TimeSpan.FromMinutes(1));
        await store.SaveIfAsync(notQueued with { State = SendStates.Failed, Reason = "not queued" }, SendStates.Accepted);
        var again = notQueued with { State = SendStates.Accepted, Reason = null };
        var retakes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.TakeRequeueAsync(again, SendStates.Failed, hold))));
        Assert.Single(retakes, t => t);
    }
}

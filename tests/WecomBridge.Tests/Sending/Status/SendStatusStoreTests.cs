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
    public async Task A_claim_holds_a_lease_and_a_copy_sees_it_in_flight_then_abandoned_or_retaken(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();
        await store.AcceptAsync(status, null, "", TimeSpan.FromMinutes(1));
        var lease = TimeSpan.FromMilliseconds(300);

        var first = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, retakeAbandoned: false);
        var copy = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, retakeAbandoned: false);
        Assert.Equal((ClaimOutcome.Claimed, SendStates.Sending), (first.Outcome, first.Status.State));
        Assert.Equal(ClaimOutcome.InFlight, copy.Outcome);

        var abandoned = await Eventually.Get(() => store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, retakeAbandoned: false),
            c => c.Outcome != ClaimOutcome.InFlight, TimeSpan.FromSeconds(5), "the lease ends");
        Assert.Equal(ClaimOutcome.Abandoned, abandoned.Outcome);
        var retaken = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), retakeAbandoned: true);
        Assert.Equal(ClaimOutcome.Retaken, retaken.Outcome);

        await store.SaveAsync(retaken.Status with { State = SendStates.Sent, MsgId = "42" });
        var finished = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, lease, retakeAbandoned: true);
        Assert.Equal((ClaimOutcome.Finished, "42"), (finished.Outcome, finished.Status.MsgId));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_claim_of_an_unknown_message_stores_it_first(string kind)
    {
        var (store, connection) = await CreateAsync(kind);
        using var _ = connection;
        var status = Fresh();

        var claim = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), retakeAbandoned: false);

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
        await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), retakeAbandoned: false);

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
        var claim = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), retakeAbandoned: false);
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Accepted, later, 100_000));
        Assert.Contains(status.MessageId, await store.ListOpenAsync(SendStates.Sending, later, 100_000));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Sending, DateTimeOffset.UtcNow, 100_000)); // lease ahead

        var until = DateTimeOffset.UtcNow.AddMinutes(5);
        await store.SaveAsync(claim.Status with { State = SendStates.Deferred, DeferredUntil = until });
        Assert.Contains(status.MessageId, await store.ListOpenAsync(SendStates.Deferred, until, 100_000));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Deferred, until.AddSeconds(-1), 100_000));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Sending, later, 100_000));

        await store.SaveAsync(claim.Status with { State = SendStates.Sent });
        foreach (var state in new[] { SendStates.Accepted, SendStates.Deferred, SendStates.Sending })
            Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(state, later, 100_000));
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
        var claim = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), retakeAbandoned: false);
        Assert.False(await store.SettleAsync(dropped, seen));
        Assert.Equal(SendStates.Sending, (await store.GetAsync(status.MessageId))!.State);

        // Deferred again with a new time between the read and the settle: the settle of the old read fails too.
        var deferred = claim.Status with { State = SendStates.Deferred, DeferredUntil = DateTimeOffset.UtcNow.AddMinutes(1) };
        await store.SaveAsync(deferred);
        var seenDeferred = (await store.GetAsync(status.MessageId))!;
        await store.SaveAsync(deferred with { DeferredUntil = DateTimeOffset.UtcNow.AddMinutes(2) });
        Assert.False(await store.SettleAsync(dropped, seenDeferred));

        var current = (await store.GetAsync(status.MessageId))!;
        Assert.True(await store.SettleAsync(current with { State = SendStates.Dropped, Reason = "cancelled" }, current));
        Assert.False(await store.SettleAsync(current with { State = SendStates.Dropped, Reason = "cancelled" }, current)); // once only
        Assert.Equal((SendStates.Dropped, "cancelled"), ((await store.GetAsync(status.MessageId))!.State, (await store.GetAsync(status.MessageId))!.Reason));
        Assert.DoesNotContain(status.MessageId, await store.ListOpenAsync(SendStates.Deferred, DateTimeOffset.UtcNow.AddHours(1), 100_000));

        // A dropped message is finished for a dispatcher's claim.
        var late = await store.ClaimAsync(status.MessageId, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), retakeAbandoned: true);
        Assert.Equal(ClaimOutcome.Finished, late.Outcome);
    }
}

using Microsoft.Extensions.Options;
using WecomBridge.Pool;
using WecomBridge.Pool.Activity;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool;

/// <summary>
/// Erasure and the retention pass, the same in PostgreSQL and in memory: an erased person leaves no row, an older event
/// still in flight does not bring them back and a newer one does; the pass purges who left long enough ago, and only them.
/// </summary>
public abstract class PoolPrivacyContract : IAsyncLifetime
{
    private readonly PoolProjection _projection = new(Options.Create(new PoolOptions()));

    internal IPoolStore Store { get; private set; } = null!;

    internal abstract Task<IPoolStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    internal async Task<bool> Apply(object message) => await Store.ApplyAsync(PoolProjection.EventId(message), _projection.Map(message)!);

    internal async Task ApplyAll(params object[] messages)
    {
        foreach (var m in messages) await Apply(m);
    }

    /// <summary>Cutoffs at minute <paramref name="minutes"/> of the test's timeline; event ids far in the past (kept).</summary>
    private static PoolCutoffs Cutoff(int minutes) => new(At(minutes), At(minutes), DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Erasing_a_contact_removes_its_row_relations_and_memberships_and_a_repeat_finds_nothing()
    {
        await ApplyAll(Added("wmE", "u1", 0, "qr"), Added("wmE", "u2", 1), Snapshot("wmE", 2, "ou-E", null, Follow("u1", 0, "qr", null, "vip")),
            Joined("chat1", 3, "wmE", "wmOther"), Added("wmOther", "u1", 0));

        Assert.True(await Store.EraseAsync(PoolSubject.Contact(Corp, "wmE"), At(10)));

        Assert.Null(await Store.GetContactAsync(Corp, "wmE"));
        Assert.DoesNotContain(await Store.ListContactsAsync(new ContactQuery(Corp, null, null, null, 10, null)), c => c.ExternalUserId == "wmE");
        Assert.Equal("chat1", Assert.Single((await Store.GetContactAsync(Corp, "wmOther"))!.Groups).ChatId);
        Assert.False(await Store.EraseAsync(PoolSubject.Contact(Corp, "wmE"), At(11)));
    }

    [Fact]
    public async Task An_older_event_still_in_flight_does_not_bring_an_erased_contact_back_and_a_newer_one_does()
    {
        await ApplyAll(Added("wmE", "u1", 0, "qr"), Added("wmKept", "u1", 0));
        await Store.EraseAsync(PoolSubject.Contact(Corp, "wmE"), At(10));

        Assert.True(await Apply(Added("wmE", "u2", 5))); // applied (recorded), but names only the erased contact
        await ApplyAll(ContactResync("wmE", "u1", 9, "ou-E"), DeletedByCustomer("wmE", "u1", 10), Joined("chat1", 6, "wmE", "wmKept"),
            ChatSnapshot("chat2", 8, "wmE", "wmKept"));
        Assert.True(await Store.ApplyAsync("interaction-before-erasure", new ContactInteraction(Corp, "wmE", At(7), "purchase")));
        Assert.Null(await Store.GetContactAsync(Corp, "wmE"));
        Assert.NotNull(await Store.GetContactAsync(Corp, "wmKept")); // the other member of the same events still joins
        Assert.Equal(["chat1", "chat2"], (await Store.GetContactAsync(Corp, "wmKept"))!.Groups.Select(g => g.ChatId));

        await Apply(Added("wmE", "u3", 11, "spring")); // a new add after the erasure
        var back = await Store.GetContactAsync(Corp, "wmE");
        Assert.Equal(("u3", "spring"), (Assert.Single(back!.Relations).UserId, back.Relations[0].State));
        Assert.Empty(back.Groups);
    }

    [Fact]
    public async Task Erasing_a_follower_removes_it_and_only_newer_events_bring_it_back()
    {
        await ApplyAll(Subscribed("oE", 0, "qr"), FollowerSnapshot("oE", 1, "ou-E"), Subscribed("oKept", 0));

        Assert.True(await Store.EraseAsync(PoolSubject.Follower(Account, "oE"), At(10)));
        await ApplyAll(Unsubscribed("oE", 4), FollowerResync("oE", 9, "ou-E"));
        Assert.True(await Store.ApplyAsync("follower-interaction-before-erasure", new FollowerInteraction(Account, "oE", At(8), "message")));
        Assert.Null(await Store.GetFollowerAsync(Account, "oE"));
        Assert.NotNull(await Store.GetFollowerAsync(Account, "oKept"));
        Assert.False(await Store.EraseAsync(PoolSubject.Follower(Account, "oE"), At(10)));

        await Apply(Subscribed("oE", 12, "spring"));
        Assert.Equal("spring", (await Store.GetFollowerAsync(Account, "oE"))!.Scene);
    }

    [Fact]
    public async Task The_pass_purges_contacts_deleted_on_every_relation_and_in_no_group_chat_before_the_cutoff()
    {
        await ApplyAll(
            Added("wmGone", "u1", 0), DeletedByEmployee("wmGone", "u1", 5), Added("wmGone", "u2", 0), DeletedByCustomer("wmGone", "u2", 6),
            Joined("chat1", 1, "wmGone"), Left("chat1", 7, "wmGone"),
            Added("wmHalf", "u1", 0), DeletedByCustomer("wmHalf", "u1", 5), Added("wmHalf", "u2", 0), // one relation left
            Added("wmChat", "u1", 0), DeletedByEmployee("wmChat", "u1", 5), Joined("chat2", 1, "wmChat"), // still in a chat
            Added("wmRecent", "u1", 0), DeletedByEmployee("wmRecent", "u1", 50), // deleted after the cutoff
            Added("wmTransfer", "u1", 0), DeletedByEmployee("wmTransfer", "u1", 5, transfer: true));

        var pruned = await Store.PruneAsync(Cutoff(30), 1000);

        Assert.Equal(2, pruned!.Contacts);
        Assert.Null(await Store.GetContactAsync(Corp, "wmGone"));
        Assert.Null(await Store.GetContactAsync(Corp, "wmTransfer"));
        foreach (var kept in new[] { "wmHalf", "wmChat", "wmRecent" }) Assert.NotNull(await Store.GetContactAsync(Corp, kept));
        Assert.Equal(0, (await Store.PruneAsync(Cutoff(30), 1000))!.Contacts);
    }

    [Fact]
    public async Task The_pass_purges_in_batches_until_none_is_left()
    {
        await ApplyAll([.. Enumerable.Range(0, 7).SelectMany(i => new object[] { Added($"wm{i}", "u1", 0), DeletedByEmployee($"wm{i}", "u1", 1) })]);

        Assert.Equal(7, (await Store.PruneAsync(Cutoff(30), 2))!.Contacts);
        Assert.Empty(await Store.ListContactsAsync(new ContactQuery(Corp, null, null, null, 10, null)));
    }

    [Fact]
    public async Task The_pass_purges_followers_unsubscribed_before_the_cutoff_only()
    {
        await ApplyAll(Subscribed("oGone", 0), Unsubscribed("oGone", 5), Subscribed("oBack", 0), Unsubscribed("oBack", 5),
            Subscribed("oBack", 8), Subscribed("oRecent", 0), Unsubscribed("oRecent", 40), Subscribed("oHere", 0));

        Assert.Equal(1, (await Store.PruneAsync(Cutoff(30), 1000))!.Followers);

        Assert.Null(await Store.GetFollowerAsync(Account, "oGone"));
        foreach (var kept in new[] { "oBack", "oRecent", "oHere" }) Assert.NotNull(await Store.GetFollowerAsync(Account, kept));
    }

    [Fact]
    public async Task Applied_event_ids_and_tombstones_are_pruned_only_past_their_retention()
    {
        var added = Added("wmA", "u1", 0);
        await Apply(added);
        await Store.EraseAsync(PoolSubject.Contact(Corp, "wmE"), DateTimeOffset.UtcNow); // erasures happen at the app's now

        var kept = await Store.PruneAsync(new PoolCutoffs(At(-1), At(-1), DateTimeOffset.UtcNow.AddDays(-1)), 1000);
        Assert.Equal((0, 0), (kept!.AppliedEvents, kept.Erasures));
        Assert.False(await Apply(added)); // still a duplicate

        var pruned = await Store.PruneAsync(new PoolCutoffs(At(-1), At(-1), DateTimeOffset.UtcNow.AddMinutes(1)), 1);
        Assert.Equal((1, 1), (pruned!.AppliedEvents, pruned.Erasures));
        Assert.True(await Apply(Added("wmE", "u1", 5))); // the tombstone is gone: an event this old is not expected any more
        Assert.NotNull(await Store.GetContactAsync(Corp, "wmE"));
    }
}

public sealed class InMemoryPoolPrivacyTests : PoolPrivacyContract
{
    internal override Task<IPoolStore> CreateStoreAsync() => Task.FromResult<IPoolStore>(new InMemoryPoolStore());
}

using Microsoft.Extensions.Options;
using WecomBridge.Pool;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool;

/// <summary>
/// What every pool store does with the bridge's events (through <see cref="PoolProjection"/>, as the consumers do):
/// once per event id, and the newer fact wins whatever the order. Run against PostgreSQL and memory alike.
/// </summary>
public abstract class PoolStoreContract : IAsyncLifetime
{
    private IPoolStore _store = null!;
    private PoolProjection _projection = new(Options.Create(new PoolOptions()));

    internal abstract Task<IPoolStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<bool> Apply(object message) =>
        await _store.ApplyAsync(PoolProjection.EventId(message), _projection.Map(message)!);

    private async Task ApplyAll(params object[] messages)
    {
        foreach (var m in messages) await Apply(m);
    }

    private async Task<PoolContact> Contact(string ext) => await _store.GetContactAsync(Corp, ext) ?? throw new Xunit.Sdk.XunitException("no contact");

    private async Task<PoolRelation> Relation(string ext, string user) => (await Contact(ext)).Relations.Single(r => r.UserId == user);

    [Fact]
    public async Task An_added_contact_then_its_snapshot_give_the_relation_with_channel_add_way_and_corp_tags()
    {
        await ApplyAll(Added("wmA", "zhangsan", 0, "winter-qr"),
            Snapshot("wmA", 1, "ou-A", "Alice", Follow("zhangsan", 0, "winter-qr", "VIP customer", "tag-vip", "tag-new")));

        var contact = await Contact("wmA");
        Assert.Equal("ou-A", contact.UnionId);
        Assert.Equal(1, contact.Type);
        var r = Assert.Single(contact.Relations);
        Assert.Equal(("zhangsan", At(0), 1, "winter-qr"), (r.UserId, r.AddedAt, r.AddWay, r.State));
        Assert.Null(r.DeletedAt);
        Assert.Equal(["tag-new", "tag-vip"], r.TagIds.Order(StringComparer.Ordinal));
        Assert.Equal(["tag-new", "tag-vip"], contact.TagIds);
    }

    [Fact]
    public async Task An_added_event_arriving_after_a_newer_snapshot_changes_nothing()
    {
        await ApplyAll(Snapshot("wmA", 5, null, null, Follow("zhangsan", 0, "summer", null, "t1")), Added("wmA", "zhangsan", 3, "winter"));

        var r = await Relation("wmA", "zhangsan");
        Assert.Equal(("summer", At(0), At(5)), (r.State, r.AddedAt, r.ChangedAt));
    }

    [Theory]
    [InlineData("employee")]
    [InlineData("customer")]
    [InlineData("transfer")]
    public async Task A_deletion_records_by_whom_and_when(string by)
    {
        object deleted = by switch
        {
            "employee" => DeletedByEmployee("wmA", "zhangsan", 4),
            "customer" => DeletedByCustomer("wmA", "zhangsan", 4),
            _ => DeletedByEmployee("wmA", "zhangsan", 4, transfer: true),
        };
        await ApplyAll(Added("wmA", "zhangsan", 0, "qr"), deleted);

        var contact = await Contact("wmA");
        var r = Assert.Single(contact.Relations);
        Assert.Equal((At(4), by), (r.DeletedAt, r.DeletedBy));
        Assert.Empty((await _store.ListContactsAsync(new ContactQuery(Corp, null, null, null, 10, null))));
    }

    [Fact]
    public async Task A_contact_added_again_after_a_deletion_is_active_again_from_the_new_time()
    {
        await ApplyAll(Added("wmA", "zhangsan", 0, "qr"), DeletedByCustomer("wmA", "zhangsan", 2), Added("wmA", "zhangsan", 6, "link"));

        var r = await Relation("wmA", "zhangsan");
        Assert.Equal((At(6), "link", (DateTimeOffset?)null, (string?)null), (r.AddedAt, r.State, r.DeletedAt, r.DeletedBy));
    }

    [Fact]
    public async Task Newer_first_an_older_deletion_after_the_re_add_is_ignored()
    {
        await ApplyAll(Added("wmA", "zhangsan", 6, "link"), DeletedByCustomer("wmA", "zhangsan", 2), Added("wmA", "zhangsan", 0, "qr"));

        var r = await Relation("wmA", "zhangsan");
        Assert.Equal((At(6), "link", (DateTimeOffset?)null), (r.AddedAt, r.State, r.DeletedAt));
    }

    [Fact]
    public async Task The_same_event_twice_applies_once()
    {
        var deleted = DeletedByEmployee("wmA", "zhangsan", 2);
        Assert.True(await Apply(Added("wmA", "zhangsan", 0)));
        Assert.True(await Apply(deleted));
        Assert.False(await Apply(deleted));
        Assert.True(await Apply(Added("wmA", "zhangsan", 5)));
        Assert.False(await Apply(deleted with { OccurredAt = At(9) })); // a copy with the same id, even if it looked newer

        Assert.Null((await Relation("wmA", "zhangsan")).DeletedAt);
    }

    [Fact]
    public async Task Tags_follow_the_newest_read_and_a_half_added_contact_counts_as_added()
    {
        await ApplyAll(HalfAdded("wmA", "lisi", 0, "qr"),
            Snapshot("wmA", 8, null, null, Follow("lisi", 0, "qr", null, "vip")),
            Snapshot("wmA", 4, null, null, Follow("lisi", 0, "qr", null, "old", "older")),
            ContactResync("wmA", "lisi", 10, tags: ["vip", "gold"]));

        Assert.Equal(["gold", "vip"], (await Relation("wmA", "lisi")).TagIds.Order(StringComparer.Ordinal));
        await Apply(ContactResync("wmA", "lisi", 9, tags: ["stale"]));
        Assert.Equal(["gold", "vip"], (await Relation("wmA", "lisi")).TagIds.Order(StringComparer.Ordinal));
        await Apply(Snapshot("wmA", 11, null, null, Follow("lisi", 0, "qr", null)));
        Assert.Empty((await Relation("wmA", "lisi")).TagIds);
    }

    [Fact]
    public async Task A_re_sync_loads_a_contact_the_pool_never_saw()
    {
        await Apply(ContactResync("wmB", "wangwu", 3, "ou-B", "spring", tags: ["vip"]));

        var contact = await Contact("wmB");
        Assert.Equal("ou-B", contact.UnionId);
        var r = Assert.Single(contact.Relations);
        Assert.Equal((At(0), 1, "spring"), (r.AddedAt, r.AddWay, r.State));
        Assert.Equal(["vip"], r.TagIds);
    }

    [Fact]
    public async Task Group_chats_joined_left_and_dismissed_in_any_order()
    {
        await ApplyAll(Added("wmA", "zhangsan", 0), Joined("chat1", 1, "wmA"), Joined("chat2", 1, "wmA"), Left("chat1", 3, "wmA"),
            Joined("chat1", 2, "wmA"), // older than the leave: ignored
            Dismissed("chat2", 5), Joined("chat2", 4, "wmA"), // older than the dismissal: ignored
            Joined("chat3", 1, "wmA"), ChatSnapshot("chat3", 6, "wmOther"), // not in the full list: left
            ChatResync("chat4", 2, "wmA"), ChatSnapshot("chat4", 1)); // an older read does not undo a newer one

        var groups = (await Contact("wmA")).Groups.ToDictionary(g => g.ChatId);
        Assert.Equal(At(3), groups["chat1"].LeftAt);
        Assert.Equal(At(5), groups["chat2"].LeftAt);
        Assert.Equal(3, groups["chat2"].JoinScene);
        Assert.Equal(At(6), groups["chat3"].LeftAt);
        Assert.Null(groups["chat4"].LeftAt);
        await Apply(ChatSnapshot("chat4", 7, "wmA"));
        Assert.Equal(At(1), (await Contact("wmA")).Groups.Single(g => g.ChatId == "chat4").JoinedAt);
    }

    [Fact]
    public async Task Followers_subscribe_unsubscribe_and_resubscribe_newest_wins()
    {
        await ApplyAll(Subscribed("o1", 0, "winter-qr"), Unsubscribed("o1", 5), Subscribed("o1", 3, "old")); // the last is older

        var f = await _store.GetFollowerAsync(Account, "o1");
        Assert.NotNull(f);
        Assert.Equal((false, At(0), At(5), "winter-qr"), (f.Subscribed, f.SubscribedAt, f.UnsubscribedAt, f.Scene));
        await ApplyAll(Subscribed("o1", 8, "spring-qr"), FollowerSnapshot("o1", 9, "ou-1", tags: [100, 101]));
        f = await _store.GetFollowerAsync(Account, "o1");
        Assert.Equal((true, "ou-1", "ADD_SCENE_QR_CODE"), (f!.Subscribed, f.UnionId, f.SubscribeScene));
        Assert.Equal([100, 101], f.TagIds);
        await Apply(FollowerResync("o1", 7, "ou-1", subscribed: false)); // older read: only fills in what never changes
        Assert.True((await _store.GetFollowerAsync(Account, "o1"))!.Subscribed);
    }

    [Fact]
    public async Task A_contact_and_a_follower_sharing_a_unionid_are_linked_whichever_came_first()
    {
        await ApplyAll(FollowerSnapshot("o1", 1, "ou-X"), Added("wmA", "zhangsan", 0), Snapshot("wmA", 2, "ou-X", null, Follow("zhangsan", 0)),
            ContactResync("wmB", "zhangsan", 3, "ou-Y"), FollowerResync("o2", 4, "ou-Y"), Subscribed("o3", 5));

        Assert.Equal("o1", Assert.Single((await Contact("wmA")).Followers).OpenId);
        Assert.Equal("o2", Assert.Single((await Contact("wmB")).Followers).OpenId);
    }

    [Fact]
    public async Task Contacts_are_listed_by_channel_tag_and_time_in_pages()
    {
        await ApplyAll(
            ContactResync("wm1", "u1", 1, state: "winter", tags: ["vip"]), ContactResync("wm2", "u1", 1, state: "winter", tags: ["vip"]),
            ContactResync("wm3", "u1", 1, state: "winter"), ContactResync("wm4", "u1", 1, state: "summer", tags: ["vip"]),
            ContactResync("wm5", "u1", 1, state: "winter", tags: ["vip"]), DeletedByCustomer("wm5", "u1", 2),
            Added("wm6", "u2", 30, "winter"), ContactResync("wm6", "u1", 1, state: "summer", tags: ["vip"]));

        var vipWinter = await _store.ListContactsAsync(new ContactQuery(Corp, "winter", "vip", null, 10, null));
        Assert.Equal(["wm1", "wm2"], vipWinter.Select(c => c.ExternalUserId));
        var first = await _store.ListContactsAsync(new ContactQuery(Corp, null, null, null, 2, null));
        var second = await _store.ListContactsAsync(new ContactQuery(Corp, null, null, null, 2, first[^1].ExternalUserId));
        Assert.Equal(["wm1", "wm2", "wm3", "wm4"], first.Concat(second).Select(c => c.ExternalUserId));
        var recent = await _store.ListContactsAsync(new ContactQuery(Corp, "winter", null, At(10), 10, null));
        var wm6 = Assert.Single(recent);
        Assert.Equal(["u1", "u2"], wm6.Relations.Select(r => r.UserId)); // the contact's active relations, not only the match
        Assert.Empty(await _store.ListContactsAsync(new ContactQuery("other-corp", null, null, null, 10, null)));
    }

    [Fact]
    public async Task The_contacts_of_a_unionid_are_found_in_corp_and_id_order_up_to_the_limit()
    {
        await ApplyAll(Snapshot("wmB", 1, "ou-U"), Snapshot("wmA", 1, "ou-U"), Snapshot("wmC", 1, "ou-other"), Snapshot("wmD", 1));

        Assert.Equal(new[] { (Corp, "wmA"), (Corp, "wmB") }, await _store.ContactsOfUnionAsync("ou-U", 10));
        Assert.Equal(new[] { (Corp, "wmA") }, await _store.ContactsOfUnionAsync("ou-U", 1));
        Assert.Empty(await _store.ContactsOfUnionAsync("ou-none", 10));
    }

    [Fact]
    public async Task Names_and_remarks_are_kept_only_when_configured_and_phones_never()
    {
        await ApplyAll(Snapshot("wmA", 1, "ou-A", "Alice", Follow("zhangsan", 0, null, "likes tea")), FollowerSnapshot("o1", 1, "ou-A", remark: "r"));
        var contact = await Contact("wmA");
        Assert.Null(contact.Name);
        Assert.Null(contact.Relations.Single().Remark);
        Assert.Null(contact.Followers.Single().Remark);

        _projection = new PoolProjection(Options.Create(new PoolOptions { StoreNames = true, StoreRemarks = true }));
        await Apply(Snapshot("wmA", 2, "ou-A", "Alice", Follow("zhangsan", 0, null, "likes tea")));
        contact = await Contact("wmA");
        Assert.Equal(("Alice", "likes tea"), (contact.Name, contact.Relations.Single().Remark));
        Assert.DoesNotContain("13800000000", System.Text.Json.JsonSerializer.Serialize(contact));
    }
}

public sealed class InMemoryPoolStoreTests : PoolStoreContract
{
    internal override Task<IPoolStore> CreateStoreAsync() => Task.FromResult<IPoolStore>(new InMemoryPoolStore());
}

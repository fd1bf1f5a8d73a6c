using StackExchange.Redis;
using WecomBridge.Sending.Errors;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Errors;

/// <summary>
/// The error history, the same in Redis (shared by instances) and in memory: counts per window, first and last seen,
/// groups by state and errcode, capped lists of the latest sends and ambiguous sends, what the retention forgets, keys
/// that expire, and scopes that never see each other. Times are the caller's, so a fixed clock drives both.
/// </summary>
public sealed class SendErrorStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-06T06:00:30Z");
    private static readonly SendErrorLimits Limits = new(TimeSpan.FromHours(24), 3, 5);

    private ConnectionMultiplexer? _redis;

    public static TheoryData<string> Stores => new("redis", "memory");

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);

    public Task DisposeAsync()
    {
        _redis?.Dispose();
        return Task.CompletedTask;
    }

    private ISendErrorStore Store(string kind) => kind == "redis" ? new RedisSendErrorStore(_redis!) : new InMemorySendErrorStore();

    private static string NewScope() => "wecom:c" + Guid.NewGuid().ToString("N")[..10];

    private static SendError Failed(string scope, int? errCode, DateTimeOffset at, string? id = null, string reason = "refused") =>
        new(scope, SendStates.Failed, errCode, new SendErrorEntry(id ?? Guid.NewGuid().ToString("N"), "customer-task", scope[6..], null, null,
            at, reason, null));

    private static SendError Ambiguous(string scope, DateTimeOffset at, string id) =>
        new(scope, SendStates.Ambiguous, null, new SendErrorEntry(id, "customer-task", scope[6..], null, null, at, "the call may have " +
            "reached WeCom", at.AddSeconds(-3)));

    [Theory, MemberData(nameof(Stores))]
    public async Task The_window_counts_only_its_own_sends_and_first_and_last_seen_span_the_history(string kind)
    {
        var store = Store(kind);
        var scope = NewScope();
        foreach (var at in new[] { T0.AddHours(-3), T0.AddMinutes(-30), T0.AddMinutes(-1) }) await store.RecordAsync(Failed(scope, 40096, at), Limits);
        await store.RecordAsync(Failed(scope, null, T0.AddMinutes(-2)), Limits);

        var hour = await store.ReadAsync(scope, T0, TimeSpan.FromHours(1), Limits);
        var bad = hour.Single(g => g.ErrCode == 40096);
        Assert.Equal((SendStates.Failed, 2), (bad.State, bad.Count));
        Assert.Equal((T0.AddHours(-3), T0.AddMinutes(-1)), (bad.FirstSeen, bad.LastSeen));
        Assert.Equal(1, hour.Single(g => g.ErrCode is null).Count); // no errcode is a group of its own
        Assert.Equal(3, (await store.ReadAsync(scope, T0, TimeSpan.FromHours(4), Limits)).Single(g => g.ErrCode == 40096).Count);
        // A group with nothing in the window is not listed.
        Assert.Empty(await store.ReadAsync(scope, T0.AddMinutes(90), TimeSpan.FromMinutes(5), Limits));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task The_latest_sends_and_the_ambiguous_ones_are_capped_newest_first(string kind)
    {
        var store = Store(kind);
        var scope = NewScope();
        for (var i = 0; i < 8; i++) await store.RecordAsync(Failed(scope, 40003, T0.AddSeconds(i), id: "f" + i), Limits);
        for (var i = 0; i < 8; i++) await store.RecordAsync(Ambiguous(scope, T0.AddSeconds(i), "a" + i), Limits);

        var groups = await store.ReadAsync(scope, T0.AddMinutes(1), TimeSpan.FromHours(1), Limits);
        var failed = groups.Single(g => g.State == SendStates.Failed);
        Assert.Equal(8, failed.Count);
        Assert.Equal(["f7", "f6", "f5"], failed.Recent.Select(e => e.MessageId));
        Assert.Equal(8, groups.Single(g => g.State == SendStates.Ambiguous).Count);
        var ambiguous = await store.AmbiguousAsync(scope, T0.AddMinutes(1), 50, Limits);
        Assert.Equal(["a7", "a6", "a5", "a4", "a3"], ambiguous.Select(e => e.MessageId));
        Assert.Equal(T0.AddSeconds(4), ambiguous[0].FirstCallAt);
        Assert.Equal(["a7", "a6"], (await store.AmbiguousAsync(scope, T0.AddMinutes(1), 2, Limits)).Select(e => e.MessageId));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task What_is_past_the_retention_is_forgotten_and_a_quiet_errcode_starts_afresh(string kind)
    {
        var store = Store(kind);
        var scope = NewScope();
        await store.RecordAsync(Failed(scope, 84061, T0, id: "old"), Limits);
        await store.RecordAsync(Ambiguous(scope, T0, "old-ambiguous"), Limits);

        var later = T0.AddHours(25);
        Assert.Empty(await store.ReadAsync(scope, later, TimeSpan.FromHours(24), Limits));
        Assert.Empty(await store.AmbiguousAsync(scope, later, 50, Limits));
        await store.RecordAsync(Failed(scope, 84061, later, id: "new"), Limits);
        var group = Assert.Single(await store.ReadAsync(scope, later, TimeSpan.FromHours(24), Limits));
        Assert.Equal((1, later, later), (group.Count, group.FirstSeen, group.LastSeen));
        Assert.Equal(["new"], group.Recent.Select(e => e.MessageId));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Scopes_never_see_each_other_and_a_reason_keeps_its_characters(string kind)
    {
        var store = Store(kind);
        var (ours, theirs) = (NewScope(), NewScope());
        const string hostile = "refused: \"<script>alert(1)</script>\" ' | :- \\ 40096";
        await store.RecordAsync(Failed(ours, 40096, T0, reason: hostile), Limits);
        await store.RecordAsync(Failed(theirs, 40003, T0), Limits);
        await store.RecordAsync(Ambiguous(theirs, T0, "theirs"), Limits);

        var group = Assert.Single(await store.ReadAsync(ours, T0, TimeSpan.FromHours(1), Limits));
        Assert.Equal((40096, hostile), (group.ErrCode, group.Recent.Single().Reason));
        Assert.Empty(await store.AmbiguousAsync(ours, T0, 50, Limits));
        Assert.Equal(2, (await store.ReadAsync(theirs, T0, TimeSpan.FromHours(1), Limits)).Count);
    }

    [Fact]
    public async Task Every_redis_key_of_a_scope_expires_a_retention_after_its_last_write_and_shares_one_hash_tag()
    {
        var store = new RedisSendErrorStore(_redis!);
        var scope = NewScope();
        await store.RecordAsync(Failed(scope, 40096, DateTimeOffset.UtcNow), Limits with { Retention = TimeSpan.FromMinutes(10) });
        await store.RecordAsync(Ambiguous(scope, DateTimeOffset.UtcNow, "a"), Limits with { Retention = TimeSpan.FromMinutes(10) });

        var db = _redis!.GetDatabase();
        foreach (var name in new[] { "counts", "minutes", "seen", "recent:failed:40096", "recent:ambiguous:-", "ambiguous" })
        {
            var ttl = await db.KeyTimeToLiveAsync($"wb:errors:{{{scope}}}:{name}");
            Assert.True(ttl > TimeSpan.FromMinutes(10) && ttl <= TimeSpan.FromMinutes(11), $"{name}: {ttl}");
        }
    }

    [Fact]
    public async Task The_redis_counts_drop_minute_buckets_past_the_retention()
    {
        var store = new RedisSendErrorStore(_redis!);
        var scope = NewScope();
        var limits = Limits with { Retention = TimeSpan.FromHours(1) };
        for (var i = 0; i < 120; i++) await store.RecordAsync(Failed(scope, 40096, T0.AddMinutes(i)), limits);

        var db = _redis!.GetDatabase();
        Assert.InRange(await db.HashLengthAsync($"wb:errors:{{{scope}}}:counts"), 60, 62);
        Assert.InRange(await db.SortedSetLengthAsync($"wb:errors:{{{scope}}}:minutes"), 60, 62);
        Assert.Equal(3, await db.ListLengthAsync($"wb:errors:{{{scope}}}:recent:failed:40096"));
    }
}

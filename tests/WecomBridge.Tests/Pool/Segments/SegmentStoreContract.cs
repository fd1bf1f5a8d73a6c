using System.Text.Json;
using Microsoft.Extensions.Options;
using WecomBridge.Pool;
using WecomBridge.Pool.Segments;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool.Segments;

/// <summary>
/// What every segment store gives for a filter over the same small pool: the same contacts in the same order, whatever
/// the store. Run against PostgreSQL and memory alike; relative times are taken from <see cref="Now"/>.
/// </summary>
public abstract class SegmentStoreContract : IAsyncLifetime
{
    /// <summary>A day after the pool's first event.</summary>
    protected static readonly DateTimeOffset Now = At(1440);

    private readonly PoolProjection _projection = new(Options.Create(new PoolOptions()));
    private IPoolStore _pool = null!;
    private ISegmentStore _segments = null!;

    internal abstract Task<(IPoolStore Pool, ISegmentStore Segments)> CreateStoresAsync();

    /// <summary>Sets the columns the activity and stage code keeps.</summary>
    internal abstract Task SetActivityAsync(string ext, DateTimeOffset? lastInteractionAt, string stage, DateTimeOffset? burstFlaggedAt);

    public virtual async Task InitializeAsync()
    {
        (_pool, _segments) = await CreateStoresAsync();
        foreach (var e in SmallPool()) await _pool.ApplyAsync(PoolProjection.EventId(e), _projection.Map(e)!);
        await SetActivityAsync("wm01", At(600), "active", null);
        await SetActivityAsync("wm02", null, "dormant", null);
        await SetActivityAsync("wm03", At(50), "lost", At(10));
        await SetActivityAsync("wm05", At(1000), "active", null);
        // The projection keeps activity too (adds are interactions, stages follow the clock): set every contact's.
        await SetActivityAsync("wm04", null, "new", null);
        await SetActivityAsync("wm06", null, "new", null);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Six contacts: relations with channels, tags and add times (wm04's deleted), group chats, OA followers.</summary>
    internal static object[] SmallPool() =>
    [
        Snapshot("wm01", 1, "u1", null, Follow("zhangsan", 0, "winter", null, "vip")),
        Snapshot("wm02", 1, null, null, Follow("lisi", 100, "summer", null, "vip", "gold")),
        Snapshot("wm03", 1, null, null, Follow("zhangsan", 200, "winter", null, "gold"), Follow("lisi", 10, "spring")),
        Snapshot("wm04", 1, null, null, Follow("zhangsan", 5, "winter", null, "vip")), DeletedByEmployee("wm04", "zhangsan", 20),
        Snapshot("wm05", 1, "u5", null, Follow("wangwu", 300)),
        Snapshot("wm06", 1, "u6", null, Follow("zhangsan", 400, "autumn")),
        Joined("c1", 1, "wm01"), Joined("c2", 2, "wm05"), Joined("c3", 3, "wm02"), Left("c3", 4, "wm02"),
        FollowerSnapshot("o5", 5, "u5"), FollowerSnapshot("o6", 5, "u6", subscribed: false),
    ];

    internal static SegmentFilter Filter(string json)
    {
        var errors = new Dictionary<string, string[]>();
        using var document = JsonDocument.Parse(json);
        return SegmentFilterParser.Parse(document.RootElement, "filter", errors)
            ?? throw new Xunit.Sdk.XunitException(string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
    }

    private async Task<string> Ids(string json)
    {
        var page = await _segments.PageAsync(new SegmentQuery(Corp, Filter(json), Now), 100, null);
        return string.Join(",", page.Select(c => c.ExternalUserId));
    }

    [Theory]
    [InlineData("""{"all": []}""", "wm01,wm02,wm03,wm04,wm05,wm06")]
    [InlineData("""{"relation": {}}""", "wm01,wm02,wm03,wm05,wm06")]
    [InlineData("""{"tags": {"all": ["vip"]}}""", "wm01,wm02")]
    [InlineData("""{"tags": {"all": ["vip", "gold"]}}""", "wm02")]
    [InlineData("""{"tags": {"any": ["gold", "nope"]}}""", "wm02,wm03")]
    [InlineData("""{"tags": {"none": ["vip"]}}""", "wm03,wm04,wm05,wm06")]
    [InlineData("""{"tags": {"any": ["vip"], "none": ["gold"]}}""", "wm01")]
    [InlineData("""{"state": "winter"}""", "wm01,wm03")]
    [InlineData("""{"state": ["summer", "spring"]}""", "wm02,wm03")]
    [InlineData("""{"added": {"after": "2026-01-10T08:05:00Z", "before": "2026-01-10T11:20:00Z"}}""", "wm02,wm03")]
    [InlineData("""{"added": {"after": "PT1300M"}}""", "wm03,wm05,wm06")]
    [InlineData("""{"relation": {"state": "winter", "added": {"after": "PT1300M"}}}""", "wm03")]
    [InlineData("""{"relation": {"followUser": "lisi", "state": "winter"}}""", "")]
    [InlineData("""{"all": [{"followUser": "lisi"}, {"state": "winter"}]}""", "wm03")]
    [InlineData("""{"followUser": ["wangwu"]}""", "wm05")]
    [InlineData("""{"stage": "active"}""", "wm01,wm05")]
    [InlineData("""{"stage": ["dormant", "lost"]}""", "wm02,wm03")]
    [InlineData("""{"stage": "new"}""", "wm04,wm06")]
    [InlineData("""{"lastActive": {"before": "PT20H"}}""", "wm02,wm03,wm04,wm06")]
    [InlineData("""{"lastActive": {"after": "2026-01-10T12:00:00Z"}}""", "wm01,wm05")]
    [InlineData("""{"not": {"lastActive": {"after": "PT20H"}}}""", "wm02,wm03,wm04,wm06")]
    [InlineData("""{"lastActive": {"after": "P1D", "before": "P0DT10H"}}""", "wm01,wm03")]
    [InlineData("""{"inGroup": true}""", "wm01,wm05")]
    [InlineData("""{"inGroup": "c1"}""", "wm01")]
    [InlineData("""{"not": {"inGroup": "c3"}}""", "wm01,wm02,wm03,wm04,wm05,wm06")]
    [InlineData("""{"oaSubscribed": "brand"}""", "wm05")]
    [InlineData("""{"oaSubscribed": "news"}""", "")]
    [InlineData("""{"burstFlagged": true}""", "wm03")]
    [InlineData("""{"burstFlagged": false}""", "wm01,wm02,wm04,wm05,wm06")]
    [InlineData("""{"any": [{"stage": "lost"}, {"inGroup": "c1"}]}""", "wm01,wm03")]
    [InlineData("""{"not": {"any": [{"tags": {"any": ["vip"]}}, {"stage": "new"}]}}""", "wm03,wm05")]
    [InlineData("""{"state": "x' OR '1'='1"}""", "")]
    [InlineData("""{"state": "'; DROP TABLE pool.contacts; --"}""", "")]
    public async Task A_filter_gives_the_same_contacts_in_id_order(string filter, string expected)
    {
        Assert.Equal(expected, await Ids(filter));
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Length,
            await _segments.CountAsync(new SegmentQuery(Corp, Filter(filter), Now)));
        Assert.Equal(6, (await _segments.PageAsync(new SegmentQuery(Corp, Filter("""{"all": []}"""), Now), 100, null)).Count);
    }

    [Fact]
    public async Task Pages_follow_each_other_after_the_last_id_and_carry_the_active_relations()
    {
        var query = new SegmentQuery(Corp, Filter("""{"relation": {}}"""), Now);
        var first = await _segments.PageAsync(query, 2, null);
        var second = await _segments.PageAsync(query, 2, first[^1].ExternalUserId);
        var third = await _segments.PageAsync(query, 2, second[^1].ExternalUserId);

        Assert.Equal(["wm01", "wm02", "wm03", "wm05", "wm06"], first.Concat(second).Concat(third).Select(c => c.ExternalUserId));
        var wm03 = second[0];
        Assert.Equal(("lost", At(50)), (wm03.Stage, wm03.LastInteractionAt));
        Assert.Equal([("lisi", "spring"), ("zhangsan", "winter")], wm03.Relations.Select(r => (r.UserId, r.State!)));
        Assert.Equal(["gold"], wm03.Relations[1].TagIds);
        Assert.Equal("u5", second[1].UnionId);
        Assert.Empty(await _segments.PageAsync(query with { Corp = "beta" }, 10, null));
    }

    [Fact]
    public async Task Relative_times_follow_the_clock_they_run_with()
    {
        var filter = Filter("""{"lastActive": {"after": "PT1H"}}""");

        Assert.Equal(0, await _segments.CountAsync(new SegmentQuery(Corp, filter, Now)));
        Assert.Equal(2, await _segments.CountAsync(new SegmentQuery(Corp, filter, At(650))));
        Assert.Equal(1, await _segments.CountAsync(new SegmentQuery(Corp, filter, At(1050))));
    }

    [Fact]
    public async Task Saved_segments_are_kept_per_corp_replaced_and_deleted()
    {
        using var document = JsonDocument.Parse("""{"stage": ["active"], "tags": null}""");
        var filter = document.RootElement.Clone();
        var a = new SavedSegment(Guid.NewGuid(), Corp, "Active", "desc", filter, At(0), At(0));
        var b = a with { Id = Guid.NewGuid(), Name = "Other corp", Corp = "beta", CreatedAt = At(1) };

        Assert.True(await _segments.SaveSegmentAsync(a, create: true));
        Assert.True(await _segments.SaveSegmentAsync(b, create: true));
        Assert.False(await _segments.SaveSegmentAsync(a with { Id = Guid.NewGuid(), Corp = "gamma" }, create: false));
        Assert.True(await _segments.SaveSegmentAsync(a with { Name = "Renamed", UpdatedAt = At(9) }, create: false));

        var saved = Assert.Single(await _segments.ListSegmentsAsync(Corp));
        Assert.Equal(("Renamed", "desc", At(0), At(9)), (saved.Name, saved.Description, saved.CreatedAt, saved.UpdatedAt));
        Assert.Equal(JsonSerializer.Serialize(filter), JsonSerializer.Serialize(saved.Filter));
        Assert.Null(await _segments.GetSegmentAsync("beta", a.Id));
        Assert.True(await _segments.DeleteSegmentAsync(Corp, a.Id));
        Assert.False(await _segments.DeleteSegmentAsync(Corp, a.Id));
        Assert.Empty(await _segments.ListSegmentsAsync(Corp));
        Assert.NotNull(await _segments.GetSegmentAsync("beta", b.Id));
    }
}

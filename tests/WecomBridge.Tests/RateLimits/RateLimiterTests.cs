using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.RateLimits;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.RateLimits;

/// <summary>The same semantics in memory and on Redis: counted windows, all-or-nothing reservations.</summary>
public class RateLimiterTests
{
    private static readonly RateLimit ThreePerSecond = new(3, TimeSpan.FromSeconds(1));

    public static TheoryData<string> Kinds => new() { "memory", "redis" };

    private static async Task<(IRateLimiter Limiter, FakeTimeProvider? Time, string Id, IDisposable? Redis)> Create(string kind)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        if (kind == "memory")
        {
            var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
            return (new InMemoryRateLimiter(time), time, id, null);
        }
        var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        return (new RedisRateLimiter(redis), null, id, redis);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_counted_bucket_gives_the_permits_of_a_window_then_says_when_one_frees_up(string kind)
    {
        var (limiter, time, id, redis) = await Create(kind);
        using var _ = redis;
        var bucket = RateBucket.Counted($"test:{id}:member:m1", ThreePerSecond);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await limiter.ReserveAsync([bucket], TimeSpan.Zero)).Granted);
            time?.Advance(TimeSpan.FromMilliseconds(100));
        }
        var refused = await limiter.ReserveAsync([bucket], TimeSpan.Zero);
        Assert.False(refused.Granted);
        if (time is not null) Assert.Equal(TimeSpan.FromMilliseconds(700) + TimeSpan.FromMicroseconds(1), refused.Wait);
        else Assert.InRange(refused.Wait, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
        // Within a longer wait, the slot is reserved where the oldest permit leaves.
        var later = await limiter.ReserveAsync([bucket], TimeSpan.FromSeconds(1));
        Assert.True(later.Granted);
        Assert.True((await limiter.ReserveAsync([RateBucket.Counted($"test:{id}:other", ThreePerSecond)], TimeSpan.Zero)).Granted);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task One_full_bucket_takes_nothing_from_the_others(string kind)
    {
        var (limiter, _, id, redis) = await Create(kind);
        using var __ = redis;
        var api = RateBucket.Paced($"wecom:{id}:message/send", new RateLimit(1, TimeSpan.FromMinutes(1)), 0.03);
        var member = RateBucket.Counted($"wecom:{id}:member:m1", new RateLimit(1, TimeSpan.FromMinutes(1)));
        var other = RateBucket.Counted($"wecom:{id}:member:m2", new RateLimit(1, TimeSpan.FromMinutes(1)));
        Assert.True((await limiter.ReserveAsync([member], TimeSpan.Zero)).Granted);

        var refused = await limiter.ReserveAsync([api, other, member], TimeSpan.FromSeconds(2));

        Assert.False(refused.Granted);
        Assert.True(refused.Wait > TimeSpan.FromSeconds(50), $"wait {refused.Wait}");
        // Neither the API bucket nor the other member's were taken: both give their one permit now.
        Assert.True((await limiter.ReserveAsync([api, other], TimeSpan.Zero)).Granted);
    }

    [Fact]
    public async Task Redis_spaces_reservations_by_the_buckets_spacing()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var limiter = new RedisRateLimiter(redis);
        var bucket = RateBucket.Paced($"wecom:{Guid.NewGuid():N}:message/send", new RateLimit(10, TimeSpan.FromSeconds(10)), 0.5);

        var grants = new List<RateGrant>();
        for (var i = 0; i < 4; i++) grants.Add(await limiter.ReserveAsync([bucket], TimeSpan.FromSeconds(10)));

        Assert.All(grants, g => Assert.True(g.Granted));
        Assert.All(grants.Zip(grants.Skip(1)), p => Assert.Equal(TimeSpan.FromMilliseconds(1500), p.Second.At - p.First.At));
        Assert.False((await limiter.ReserveAsync([bucket], TimeSpan.FromSeconds(1))).Granted);
    }
}

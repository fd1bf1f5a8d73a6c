using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.RateLimits;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.RateLimits;

public class RateLimiterTests
{
    private static readonly RateLimit ThreePerSecond = new(3, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task In_memory_gives_the_permits_of_a_window_then_says_when_one_frees_up()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var limiter = new InMemoryRateLimiter(time);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await limiter.TryAcquireAsync("b", ThreePerSecond)).Acquired);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        var refused = await limiter.TryAcquireAsync("b", ThreePerSecond);
        Assert.False(refused.Acquired);
        Assert.Equal(TimeSpan.FromMilliseconds(700), refused.RetryAfter); // the first permit leaves the window then
        time.Advance(TimeSpan.FromMilliseconds(700));
        Assert.True((await limiter.TryAcquireAsync("b", ThreePerSecond)).Acquired);
        Assert.True((await limiter.TryAcquireAsync("other", ThreePerSecond)).Acquired); // buckets are separate
    }

    [Fact]
    public async Task In_memory_pause_holds_the_bucket_until_it_ends_and_is_never_shortened()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var limiter = new InMemoryRateLimiter(time);
        await limiter.PauseAsync("b", TimeSpan.FromSeconds(60));
        await limiter.PauseAsync("b", TimeSpan.FromSeconds(5));

        var paused = await limiter.TryAcquireAsync("b", ThreePerSecond);
        Assert.False(paused.Acquired);
        Assert.Equal(TimeSpan.FromSeconds(60), paused.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.True((await limiter.TryAcquireAsync("b", ThreePerSecond)).Acquired);
    }

    [Fact]
    public async Task Redis_gives_the_permits_of_a_window_and_honours_a_pause()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var limiter = new RedisRateLimiter(redis);
        var bucket = "test:" + Guid.NewGuid().ToString("N");
        var tight = new RateLimit(3, TimeSpan.FromMinutes(1));

        for (var i = 0; i < 3; i++) Assert.True((await limiter.TryAcquireAsync(bucket, tight)).Acquired);
        var refused = await limiter.TryAcquireAsync(bucket, tight);
        Assert.False(refused.Acquired);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));

        var paused = "test:" + Guid.NewGuid().ToString("N");
        await limiter.PauseAsync(paused, TimeSpan.FromMinutes(10));
        await limiter.PauseAsync(paused, TimeSpan.FromSeconds(1));
        var decision = await limiter.TryAcquireAsync(paused, tight);
        Assert.False(decision.Acquired);
        Assert.True(decision.RetryAfter > TimeSpan.FromMinutes(9), $"pause shortened to {decision.RetryAfter}");
    }
}

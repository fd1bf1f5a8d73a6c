using StackExchange.Redis;
using WecomBridge.RateLimits;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.RateLimits;

namespace WecomBridge.Tests.Sending.Limits;

/// <summary>Three instances (each its own Redis connection) reserve from one paced bucket at once.</summary>
public class SharedRateLimitTests
{
    [Fact]
    public async Task Three_instances_reserving_together_never_exceed_the_limit_in_any_window_and_use_95_percent_of_it()
    {
        var limit = new RateLimit(50, TimeSpan.FromSeconds(1));
        const double margin = 0.03;
        var bucket = RateBucket.Paced("wecom:shared" + Guid.NewGuid().ToString("N")[..8] + ":message/send", limit, margin);
        var instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ConnectionMultiplexer.ConnectAsync(TestServers.Redis)));
        var grants = new List<DateTimeOffset>();
        try
        {
            // Each instance: 8 callers, each reserving (up to 1 s ahead, like MaxInlineWait) as soon as its last one was
            // granted, so the bucket always has a queue. 150 reservations in all: 3 s of the limit.
            var left = 150;
            await Task.WhenAll(instances.SelectMany(redis =>
            {
                var limiter = new RedisRateLimiter(redis);
                return Enumerable.Range(0, 8).Select(async _ =>
                {
                    while (Interlocked.Decrement(ref left) >= 0)
                    {
                        RateGrant grant;
                        while (!(grant = await limiter.ReserveAsync([bucket], TimeSpan.FromSeconds(1))).Granted)
                            await Task.Delay(grant.Wait - TimeSpan.FromSeconds(1));
                        lock (grants) grants.Add(grant.At);
                    }
                });
            }));
        }
        finally
        {
            foreach (var redis in instances) redis.Dispose();
        }

        // Reservations never collide: no two share a slot, and any sliding window (with arrival delays the margin
        // covers) holds at most the limit.
        Assert.Equal(150, grants.Distinct().Count());
        foreach (var (pattern, arrivals) in SlidingWindows.Delayed(grants, limit.Window * margin * 0.99, limit.Permits))
        {
            var busiest = SlidingWindows.Busiest(arrivals, limit.Window);
            Assert.True(busiest <= limit.Permits, $"{pattern}: {busiest} in one window of {limit.Window}");
        }
        var times = grants.Order().ToArray();
        var used = (times.Length - 1) / (limit.Permits * ((times[^1] - times[0]) / limit.Window));
        Assert.True(used >= 0.95, $"used {used:P1} of the limit");
    }
}

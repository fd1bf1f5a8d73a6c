using System.Diagnostics;
using StackExchange.Redis;
using WecomBridge.RateLimits;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Limits;

/// <summary>Three instances (each its own Redis connection) share one limit.</summary>
public class SharedRateLimitTests
{
    [Fact]
    public async Task Three_instances_never_exceed_the_limit_together_in_any_window_and_use_at_least_90_percent_of_it()
    {
        var limit = new RateLimit(100, TimeSpan.FromSeconds(1));
        var bucket = "test:shared:" + Guid.NewGuid().ToString("N");
        var instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ConnectionMultiplexer.ConnectAsync(TestServers.Redis)));
        // Warm up (script load, JIT, the first round trips) outside the measured window: the test is about the
        // shared limit, not about a cold start (a cold first half second once gave 12 permits of 100).
        foreach (var redis in instances)
            await new RedisRateLimiter(redis).AcquireAsync("test:warm:" + Guid.NewGuid().ToString("N"), limit, TimeProvider.System, CancellationToken.None);
        var acquired = new List<DateTimeOffset>();
        var run = TimeSpan.FromSeconds(5);
        using var stop = new CancellationTokenSource(run);
        var started = Stopwatch.StartNew();

        await Task.WhenAll(instances.SelectMany(redis =>
        {
            var limiter = new RedisRateLimiter(redis);
            return Enumerable.Range(0, 4).Select(async _ =>
            {
                while (true)
                {
                    try
                    {
                        var decision = await limiter.AcquireAsync(bucket, limit, TimeProvider.System, stop.Token);
                        lock (acquired) acquired.Add(decision.At);
                    }
                    catch (OperationCanceledException) { return; }
                }
            });
        }));
        var elapsed = started.Elapsed;
        foreach (var redis in instances) redis.Dispose();

        // Never more than the limit in any window: for each permit, count the permits within one window after it.
        var times = acquired.Order().ToArray();
        var most = 0;
        for (int first = 0, last = 0; first < times.Length; first++)
        {
            while (last < times.Length && times[last] - times[first] < limit.Window) last++;
            most = Math.Max(most, last - first);
        }
        Assert.True(most <= limit.Permits, $"{most} permits in one window of {limit.Window}");

        var possible = limit.Permits * elapsed / limit.Window;
        var slots = string.Join(",", times.GroupBy(t => (int)((t - times[0]) / (limit.Window / 5))).Select(g => $"{g.Key}:{g.Count()}"));
        Assert.True(times.Length >= 0.9 * possible, $"{times.Length} permits of {possible:0} possible in {elapsed}; per tenth-window {slots}");
    }
}

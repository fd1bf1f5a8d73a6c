using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.RateLimits;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.RateLimits;

/// <summary>
/// The departure check keeps arrivals within the limit whatever delays a call between its permit and its departure
/// (token fetch, a busy machine, another instance's path): a platform that counts arrivals in a sliding window never
/// sees more than the limit, as long as the delays from check to arrival differ by less than the bucket's jitter.
/// </summary>
public class DepartureTests
{
    [Theory]
    [InlineData(100, 5, 2.0, 1)]   // add_msg_template as the benchmark sets it, departures held up to 2 s
    [InlineData(100, 5, 0.5, 2)]
    [InlineData(10, 1, 0.3, 3)]
    [InlineData(5000, 60, 3.0, 4)] // the default
    public async Task Many_callers_with_random_departure_delays_never_put_more_than_the_limit_in_any_window(int permits, int seconds,
        double maxDelaySeconds, int seed)
    {
        var limit = new RateLimit(permits, TimeSpan.FromSeconds(seconds));
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var limiter = new InMemoryRateLimiter(time); // the state every instance shares (Redis in production)
        var bucket = RateBucket.Paced("wecom:acme:externalcontact/add_msg_template", limit, 0.03);
        var random = new Random(seed);
        var start = time.GetUtcNow();
        var run = limit.Window * 8;

        // Callers take their permits (paced), then reach the departure check after a random delay far beyond the margin.
        var checks = new PriorityQueue<int, DateTimeOffset>();
        var calls = 0;
        while (time.GetUtcNow() - start < run)
        {
            var grant = await limiter.ReserveAsync([bucket], TimeSpan.FromSeconds(2));
            if (grant.Granted) checks.Enqueue(calls++, grant.At + TimeSpan.FromSeconds(maxDelaySeconds * random.NextDouble()));
            time.Advance(limit.Window / permits * random.NextDouble());
        }

        // Replayed in time order: a refused check asks again when the limiter says; a passed one arrives within the jitter.
        var arrivals = new List<DateTimeOffset>();
        var clock = new FakeTimeProvider(start);
        var departures = new InMemoryRateLimiter(clock);
        while (checks.TryDequeue(out var call, out var at))
        {
            if (at > clock.GetUtcNow()) clock.SetUtcNow(at);
            var wait = (await departures.DepartAsync(bucket, TimeSpan.Zero)).Wait;
            if (wait > TimeSpan.Zero) checks.Enqueue(call, at + wait);
            else arrivals.Add(at + bucket.Jitter * 0.99 * random.NextDouble());
        }

        Assert.Equal(calls, arrivals.Count);
        var busiest = SlidingWindows.Busiest(arrivals, limit.Window);
        Assert.True(busiest <= permits, $"{busiest} arrivals in one window of {limit.Window}; the limit is {permits}");
        var used = arrivals.Count(a => a < start + run) / (permits * (run / limit.Window));
        Assert.True(used >= 0.9, $"used {used:P1} of the limit");
    }

    [Fact]
    public async Task A_full_span_says_when_the_next_departure_may_go_and_records_nothing_meanwhile()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var limiter = new InMemoryRateLimiter(time);
        var bucket = RateBucket.Paced("b", new RateLimit(2, TimeSpan.FromSeconds(1)), 0.1);

        Assert.Equal(Departure.Go, await limiter.DepartAsync(bucket, TimeSpan.Zero));
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(Departure.Go, await limiter.DepartAsync(bucket, TimeSpan.Zero));
        var wait = (await limiter.DepartAsync(bucket, TimeSpan.Zero)).Wait;
        Assert.InRange(wait.TotalMilliseconds, 799.9, 800.1); // the first leaves the 1.1 s span at 1.1 s
        time.Advance(wait);
        Assert.Equal(Departure.Go, await limiter.DepartAsync(bucket, TimeSpan.Zero));
        Assert.True((await limiter.DepartAsync(bucket, TimeSpan.Zero)).Wait > TimeSpan.Zero);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task A_reported_spread_wider_than_the_jitter_widens_the_span_and_the_spacing_for_every_caller(string kind)
    {
        using var redis = kind == "redis" ? await ConnectionMultiplexer.ConnectAsync(TestServers.Redis) : null;
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        IRateLimiter limiter = redis is null ? new InMemoryRateLimiter(time) : new RedisRateLimiter(redis);
        var bucket = RateBucket.Paced($"wecom:{Guid.NewGuid():N}:externalcontact/add_msg_template", new RateLimit(2, TimeSpan.FromSeconds(10)), 0.01);

        Assert.Equal(Departure.Go, await limiter.DepartAsync(bucket, TimeSpan.FromSeconds(5))); // a slow call seen: 5 s
        Assert.Equal(Departure.Go, await limiter.DepartAsync(bucket, TimeSpan.Zero));
        var wait = (await limiter.DepartAsync(bucket, TimeSpan.Zero)).Wait;
        var first = await limiter.ReserveAsync([bucket], TimeSpan.FromMinutes(1));
        var second = await limiter.ReserveAsync([bucket], TimeSpan.FromMinutes(1));

        Assert.InRange(wait, TimeSpan.FromSeconds(14), TimeSpan.FromSeconds(15.01)); // the span is 10 + 5 s, not 10.1 s
        Assert.InRange(second.At - first.At, TimeSpan.FromSeconds(7.49), TimeSpan.FromSeconds(7.51)); // (10 + 5) / 2
    }

    [Fact]
    public async Task A_paused_bucket_holds_every_departure_until_the_pause_ends()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var until = time.GetUtcNow().AddSeconds(5);
        var limiter = new InMemoryRateLimiter(time, b => b == "paused" ? until : null);
        var paused = RateBucket.Paced("paused", new RateLimit(100, TimeSpan.FromSeconds(5)), 0.03);

        Assert.Equal(new Departure(TimeSpan.FromSeconds(5), until), await limiter.DepartAsync(paused, TimeSpan.Zero));
        Assert.Equal(Departure.Go, await limiter.DepartAsync(paused with { Key = "other" }, TimeSpan.Zero));
        time.SetUtcNow(until);
        Assert.Equal(Departure.Go, await limiter.DepartAsync(paused, TimeSpan.Zero));
    }

    [Fact]
    public async Task On_Redis_the_departure_check_reads_the_buckets_pause_record()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var limiter = new RedisRateLimiter(redis);
        var bucket = RateBucket.Paced($"wecom:{Guid.NewGuid():N}:externalcontact/add_msg_template", new RateLimit(100, TimeSpan.FromSeconds(5)), 0.03);
        var until = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds());
        await redis.GetDatabase().HashSetAsync(RedisRateLimiter.PauseKey(bucket.Key), RedisRateLimiter.PausedUntilField, until.ToUnixTimeMilliseconds());

        var held = await limiter.DepartAsync(bucket, TimeSpan.Zero);
        await redis.GetDatabase().KeyDeleteAsync(RedisRateLimiter.PauseKey(bucket.Key));

        Assert.Equal(until, held.PausedUntil);
        Assert.InRange(held.Wait, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(Departure.Go, await limiter.DepartAsync(bucket, TimeSpan.Zero));
    }

    [Fact]
    public async Task Three_instances_on_Redis_with_random_departure_delays_never_exceed_the_limit_in_any_window()
    {
        var limit = new RateLimit(20, TimeSpan.FromSeconds(1));
        // A generous jitter: the test measures arrival as the moment the check returns, on a busy shared machine.
        var bucket = RateBucket.Paced($"wecom:{Guid.NewGuid():N}:externalcontact/add_msg_template", limit, 0.03, TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var arrivals = new List<TimeSpan>();
        var instances = new List<ConnectionMultiplexer>();
        try
        {
            for (var i = 0; i < 3; i++) instances.Add(await ConnectionMultiplexer.ConnectAsync(TestServers.Redis));
            var callers = instances.SelectMany((redis, i) => Enumerable.Range(0, 20).Select(async c =>
            {
                var limiter = new RedisRateLimiter(redis);
                var random = new Random(i * 100 + c);
                var grant = await limiter.ReserveAsync([bucket], TimeSpan.FromMinutes(1));
                await Task.Delay(grant.Wait + TimeSpan.FromMilliseconds(random.Next(0, 600))); // held up after the permit
                while (await limiter.DepartAsync(bucket, TimeSpan.Zero) is { Wait.Ticks: > 0 } d) await Task.Delay(d.Wait);
                lock (arrivals) arrivals.Add(clock.Elapsed);
            }));
            await Task.WhenAll(callers);
        }
        finally
        {
            foreach (var redis in instances) await redis.DisposeAsync();
        }

        var start = DateTimeOffset.UnixEpoch;
        var busiest = SlidingWindows.Busiest(arrivals.Select(a => start + a), limit.Window);
        Assert.Equal(60, arrivals.Count);
        Assert.True(busiest <= limit.Permits, $"{busiest} arrivals in one window of {limit.Window}; the limit is {limit.Permits}");
    }
}

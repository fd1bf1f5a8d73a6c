using Microsoft.Extensions.Time.Testing;
using WecomBridge.RateLimits;

namespace WecomBridge.Tests.RateLimits;

/// <summary>
/// The platform counts arrivals in any sliding window: paced grants, shifted by any arrival delays whose spread the
/// safety margin covers (under margin × window), never exceed the limit there, and use at least 95 % of it.
/// </summary>
public class PacingTests
{
    [Theory]
    [InlineData(100, 5, 0.03)]   // add_msg_template as measured: 100 per 5 s
    [InlineData(10, 1, 0.03)]
    [InlineData(5000, 60, 0.03)] // the default
    [InlineData(30, 60, 0.03)] // a member's messages, were they paced
    public async Task Grants_delayed_within_the_margin_never_exceed_the_limit_in_any_window_and_use_95_percent(int permits, int seconds,
        double margin)
    {
        var limit = new RateLimit(permits, TimeSpan.FromSeconds(seconds));
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var limiter = new InMemoryRateLimiter(time);
        var bucket = RateBucket.Paced("wecom:acme:externalcontact/add_msg_template", limit, margin);
        var random = new Random(5);
        var grants = new List<DateTimeOffset>();
        var start = time.GetUtcNow();
        var run = limit.Window * 12;

        // Many callers on several instances, more than the limit allows: each asks with its MaxInlineWait of 2 s.
        while (time.GetUtcNow() - start < run)
        {
            for (var i = random.Next(1, 4); i > 0; i--)
                if (await limiter.ReserveAsync([bucket], TimeSpan.FromSeconds(2)) is { Granted: true } grant) grants.Add(grant.At);
            time.Advance(limit.Window / permits * random.NextDouble());
        }

        var spread = limit.Window * margin * 0.99;
        foreach (var (pattern, arrivals) in SlidingWindows.Delayed(grants, spread, permits))
        {
            var busiest = SlidingWindows.Busiest(arrivals, limit.Window);
            Assert.True(busiest <= permits, $"{pattern}: {busiest} arrivals in one window of {limit.Window}; the limit is {permits}");
        }
        var used = grants.Count(g => g < start + run) / (permits * (run / limit.Window));
        Assert.True(used >= 0.95, $"used {used:P1} of the limit");
    }

    [Fact]
    public async Task A_reservation_says_how_long_to_wait_and_spaces_the_calls_without_a_burst()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var limiter = new InMemoryRateLimiter(time);
        var bucket = RateBucket.Paced("b", new RateLimit(10, TimeSpan.FromSeconds(1)), 0);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++) waits.Add((await limiter.ReserveAsync([bucket], TimeSpan.FromSeconds(1))).Wait);

        Assert.Equal([0, 100, 200, 300, 400], waits.Select(w => (int)w.TotalMilliseconds));
        var beyond = await limiter.ReserveAsync([bucket], TimeSpan.FromMilliseconds(450));
        Assert.Equal((false, TimeSpan.FromMilliseconds(500)), (beyond.Granted, beyond.Wait));
        time.Advance(TimeSpan.FromSeconds(5)); // idle: the next call goes at once, and the one after it a spacing later
        Assert.Equal(TimeSpan.Zero, (await limiter.ReserveAsync([bucket], TimeSpan.Zero)).Wait);
        Assert.False((await limiter.ReserveAsync([bucket], TimeSpan.Zero)).Granted);
    }
}

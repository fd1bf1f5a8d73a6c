using Microsoft.Extensions.Time.Testing;
using WecomBridge.OperatorConsole;
using WecomBridge.RateLimits;

namespace WecomBridge.Tests.OperatorConsole;

/// <summary>What the console reads of a bucket in the embedded mode (in memory): departures in the window, slots reserved ahead.</summary>
public sealed class BucketUseTests
{
    [Fact]
    public async Task The_in_memory_limiter_tells_departures_in_the_window_and_the_reservations_ahead()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T00:00:00Z"));
        var limiter = new InMemoryRateLimiter(time);
        var bucket = RateBucket.Paced("wecom:acme:message/send", new RateLimit(10, TimeSpan.FromSeconds(10)), 0);
        await limiter.DepartAsync(bucket, TimeSpan.Zero);
        await limiter.DepartAsync(bucket, TimeSpan.Zero);
        for (var i = 0; i < 3; i++) await limiter.ReserveAsync([bucket], TimeSpan.FromMinutes(1));

        var use = await BucketUse.ReadAsync(limiter, new ServiceCollectionProvider(), bucket);
        Assert.Equal(new BucketUse(2, TimeSpan.FromSeconds(3)), use); // three reservations 1 s apart: the next slot is 3 s ahead

        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(new BucketUse(0, TimeSpan.Zero), await BucketUse.ReadAsync(limiter, new ServiceCollectionProvider(), bucket));
    }

    private sealed class ServiceCollectionProvider : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}

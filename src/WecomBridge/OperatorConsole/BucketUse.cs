using System.Globalization;
using StackExchange.Redis;
using WecomBridge.RateLimits;

namespace WecomBridge.OperatorConsole;

/// <summary>
/// What a paced bucket has used, read without taking anything: the calls that departed in its last window (the
/// departure check's record) and how far ahead its next free slot lies (sends reserved and waiting for their turn).
/// </summary>
internal readonly record struct BucketUse(int Departed, TimeSpan ReservedAhead)
{
    // KEYS: the bucket's departures (sorted set scored by µs) and its next free slot (µs). ARGV: the window µs.
    // Redis's clock, as the limiter's own scripts.
    private const string Read = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local departed = redis.call('ZCOUNT', KEYS[1], string.format('(%.0f', now - tonumber(ARGV[1])), '+inf')
        local next = tonumber(redis.call('GET', KEYS[2]) or '0')
        return {departed, string.format('%.0f', math.max(0, next - now))}
        """;

    public static async Task<BucketUse> ReadAsync(IRateLimiter limiter, IServiceProvider services, RateBucket bucket)
    {
        switch (limiter)
        {
            case RedisRateLimiter when services.GetService<IConnectionMultiplexer>() is { } redis:
                var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Read,
                    [RedisRateLimiter.Key(bucket.Key, "departed"), RedisRateLimiter.Key(bucket.Key, "next")],
                    [bucket.Limit.Window.Ticks / 10]))!;
                return new((int)result[0],
                    TimeSpan.FromMicroseconds(long.Parse((string)result[1]!, CultureInfo.InvariantCulture)));
            case InMemoryRateLimiter memory:
                var (departed, ahead) = memory.Use(bucket.Key, bucket.Limit.Window);
                return new(departed, ahead);
            default:
                return default;
        }
    }
}

using StackExchange.Redis;

namespace WecomBridge.RateLimits;

/// <summary>
/// One sorted set per bucket holds the permits of the current window (score = Redis time in µs). The
/// script trims what left the window, counts, and adds a permit only below the limit: atomic across
/// instances, on one clock (Redis's), so instances never exceed the limit together in any window.
/// </summary>
internal sealed class RedisRateLimiter(IConnectionMultiplexer redis) : IRateLimiter
{
    private static readonly LuaScript Acquire = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local paused = redis.call('PTTL', @pause)
        if paused > 0 then return {0, paused * 1000, now} end
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', now - tonumber(@window))
        if redis.call('ZCARD', @key) < tonumber(@permits) then
          redis.call('ZADD', @key, now, now .. '-' .. redis.call('INCR', @seq))
          redis.call('PEXPIRE', @key, math.ceil(tonumber(@window) / 1000) + 1000)
          redis.call('PEXPIRE', @seq, math.ceil(tonumber(@window) / 1000) + 1000)
          return {1, 0, now}
        end
        local oldest = redis.call('ZRANGE', @key, 0, 0, 'WITHSCORES')
        return {0, tonumber(oldest[2]) + tonumber(@window) - now, now}
        """);

    private static readonly LuaScript Pause = LuaScript.Prepare("""
        if redis.call('PTTL', @pause) < tonumber(@ms) then redis.call('SET', @pause, 1, 'PX', @ms) end
        return 1
        """);

    public async Task<RateDecision> TryAcquireAsync(string bucket, RateLimit limit)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Acquire, new
        {
            key = (RedisKey)$"wb:rl:{{{bucket}}}:permits",
            seq = (RedisKey)$"wb:rl:{{{bucket}}}:seq",
            pause = (RedisKey)$"wb:rl:{{{bucket}}}:pause",
            permits = limit.Permits,
            window = (long)(limit.Window.TotalMilliseconds * 1000),
        }))!;
        var at = DateTimeOffset.UnixEpoch.AddTicks((long)result[2] * 10);
        return new RateDecision((long)result[0] == 1, TimeSpan.FromTicks(Math.Max(0, (long)result[1]) * 10), at);
    }

    public Task PauseAsync(string bucket, TimeSpan duration) =>
        redis.GetDatabase().ScriptEvaluateAsync(Pause, new
        {
            pause = (RedisKey)$"wb:rl:{{{bucket}}}:pause",
            ms = (long)Math.Ceiling(duration.TotalMilliseconds),
        });
}

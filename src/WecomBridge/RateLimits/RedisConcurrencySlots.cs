using StackExchange.Redis;

namespace WecomBridge.RateLimits;

/// <summary>A sorted set of holders per bucket, scored by lease end on Redis's clock: expired leases are dropped before counting.</summary>
internal sealed class RedisConcurrencySlots(IConnectionMultiplexer redis) : IConcurrencySlots
{
    private const string Enter = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 1000)
        return 1
        """;

    public async Task<bool> TryEnterAsync(string bucket, int limit, string holder, TimeSpan lease) =>
        (long)(await redis.GetDatabase().ScriptEvaluateAsync(Enter, [RedisRateLimiter.Key(bucket, "slots")],
            [limit, holder, (long)Math.Ceiling(lease.TotalMilliseconds)])) == 1;

    public Task LeaveAsync(string bucket, string holder) =>
        redis.GetDatabase().SortedSetRemoveAsync(RedisRateLimiter.Key(bucket, "slots"), holder);
}

using StackExchange.Redis;

namespace WecomBridge.Polling;

internal sealed class RedisMomentState(IConnectionMultiplexer redis) : IMomentState
{
    // Take a free lease or renew our own, atomically.
    private static readonly LuaScript Lease = LuaScript.Prepare(
        "local holder = redis.call('GET', @key) " +
        "if holder == false or holder == @owner then redis.call('SET', @key, @owner, 'PX', @ttl) return 1 end return 0");

    private static readonly TimeSpan Remember = TimeSpan.FromDays(40); // longer than get_moment_list's 30-day window

    public async Task<bool> TryLeaseAsync(string corp, string owner, TimeSpan lease) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(Lease,
            new { key = (RedisKey)$"wb:moments:{corp}:lease", owner, ttl = (long)lease.TotalMilliseconds }) == 1;

    public async Task<DateTimeOffset?> GetWatermarkAsync(string corp) =>
        await redis.GetDatabase().StringGetAsync($"wb:moments:{corp}:watermark") is { HasValue: true } value
            ? DateTimeOffset.FromUnixTimeSeconds((long)value)
            : null;

    public Task SetWatermarkAsync(string corp, DateTimeOffset watermark) =>
        redis.GetDatabase().StringSetAsync($"wb:moments:{corp}:watermark", watermark.ToUnixTimeSeconds());

    public Task<bool> IsPublishedAsync(string corp, string momentId) =>
        redis.GetDatabase().KeyExistsAsync($"wb:moments:{corp}:seen:{momentId}");

    public Task MarkPublishedAsync(string corp, string momentId) =>
        redis.GetDatabase().StringSetAsync($"wb:moments:{corp}:seen:{momentId}", 1, Remember);
}

using StackExchange.Redis;

namespace WecomBridge.Dispatch;

internal sealed class RedisCapStore(IConnectionMultiplexer redis) : ICapStore
{
    private static readonly LuaScript Take = LuaScript.Prepare("""
        local n = redis.call('INCR', @key)
        if n == 1 then redis.call('PEXPIREAT', @key, @expires) end
        if n > tonumber(@limit) then redis.call('DECR', @key) return 0 end
        return 1
        """);

    private static readonly LuaScript GiveBack = LuaScript.Prepare(
        "if tonumber(redis.call('GET', @key) or '0') > 0 then return redis.call('DECR', @key) end return 0");

    private static RedisKey Key(string corp, string recipient, string period) => $"wb:cap:{corp}:{period}:{recipient}";

    public async Task<bool> TryTakeAsync(string corp, string recipient, string period, int limit, DateTimeOffset periodEnds) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(Take, new
        {
            key = Key(corp, recipient, period),
            limit,
            expires = periodEnds.AddDays(1).ToUnixTimeMilliseconds(), // kept a day longer: clocks and late retries
        }) == 1;

    public Task GiveBackAsync(string corp, string recipient, string period) =>
        redis.GetDatabase().ScriptEvaluateAsync(GiveBack, new { key = Key(corp, recipient, period) });
}

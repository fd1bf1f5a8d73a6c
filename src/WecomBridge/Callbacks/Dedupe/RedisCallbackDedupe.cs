using StackExchange.Redis;

namespace WecomBridge.Callbacks.Dedupe;

internal sealed class RedisCallbackDedupe(IConnectionMultiplexer redis) : ICallbackDedupe
{
    private const string InFlight = "inflight";
    private const string Done = "done";

    // Claim atomically: take a free key, or say who holds it.
    private static readonly LuaScript Claim = LuaScript.Prepare(
        "if redis.call('SET', @key, 'inflight', 'NX', 'PX', @ttl) then return 'claimed' end " +
        "return redis.call('GET', @key) or 'claimed'");

    // Free only a key still in flight: never undo a 'done'.
    private static readonly LuaScript Release = LuaScript.Prepare(
        "if redis.call('GET', @key) == 'inflight' then return redis.call('DEL', @key) end return 0");

    private static RedisKey Key(string key) => "wb:cb:" + key;

    public async Task<DedupeState> TryClaimAsync(string key, TimeSpan inFlightTtl)
    {
        var result = (string?)await redis.GetDatabase().ScriptEvaluateAsync(Claim,
            new { key = Key(key), ttl = (long)inFlightTtl.TotalMilliseconds });
        return result switch
        {
            Done => DedupeState.Done,
            InFlight => DedupeState.InFlight,
            _ => DedupeState.Claimed,
        };
    }

    public Task MarkDoneAsync(string key, TimeSpan doneTtl) =>
        redis.GetDatabase().StringSetAsync(Key(key), Done, doneTtl);

    public Task ReleaseAsync(string key) =>
        redis.GetDatabase().ScriptEvaluateAsync(Release, new { key = Key(key) });
}

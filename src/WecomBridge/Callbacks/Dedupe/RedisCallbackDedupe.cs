using StackExchange.Redis;

namespace WecomBridge.Callbacks.Dedupe;

/// <summary>
/// Keys `wb:cb:{dedupe key}` = "inflight" (with the in-flight TTL) or "done" (with the dedupe TTL).
/// The common case, a new callback, costs one SET NX; only a copy reads who holds the key.
/// </summary>
internal sealed class RedisCallbackDedupe(IConnectionMultiplexer redis) : ICallbackDedupe
{
    private const string InFlight = "inflight";
    private const string Done = "done";

    // Free only a key still in flight: never undo a "done".
    private static readonly LuaScript Release = LuaScript.Prepare(
        "if redis.call('GET', @key) == 'inflight' then return redis.call('DEL', @key) end return 0");

    private static RedisKey Key(string key) => "wb:cb:" + key;

    public async Task<DedupeState> TryClaimAsync(string key, TimeSpan inFlightTtl)
    {
        var db = redis.GetDatabase();
        var redisKey = Key(key);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await db.StringSetAsync(redisKey, InFlight, inFlightTtl, When.NotExists)) return DedupeState.Claimed;
            var holder = await db.StringGetAsync(redisKey);
            if (holder == Done) return DedupeState.Done;
            if (holder == InFlight) return DedupeState.InFlight;
            // expired between the two calls: try to claim again
        }
        return DedupeState.InFlight;
    }

    /// <summary>
    /// Fire and forget: the answer does not wait for this round trip. Should the write be lost, the key
    /// stays "inflight" until its short TTL, and a later copy is published again with the same event id.
    /// </summary>
    public Task MarkDoneAsync(string key, TimeSpan doneTtl) =>
        redis.GetDatabase().StringSetAsync(Key(key), Done, doneTtl, flags: CommandFlags.FireAndForget);

    public Task ReleaseAsync(string key) =>
        redis.GetDatabase().ScriptEvaluateAsync(Release, new { key = Key(key) });
}

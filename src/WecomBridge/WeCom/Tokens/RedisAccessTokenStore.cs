using StackExchange.Redis;

namespace WecomBridge.WeCom.Tokens;

/// <summary>Tokens as Redis hashes {value, refresh, expires}; the refresh lock is SET NX PX + compare-and-delete.</summary>
internal sealed class RedisAccessTokenStore(IConnectionMultiplexer redis) : IAccessTokenStore
{
    private static readonly LuaScript Set = LuaScript.Prepare(
        "redis.call('HSET', @key, 'value', @value, 'refresh', @refresh, 'expires', @expires) " +
        "return redis.call('PEXPIRE', @key, @ttl)");

    private static readonly LuaScript Invalidate = LuaScript.Prepare(
        "if redis.call('HGET', @key, 'value') == @value then return redis.call('DEL', @key) end return 0");

    private static readonly LuaScript Release = LuaScript.Prepare(
        "if redis.call('GET', @key) == @owner then return redis.call('DEL', @key) end return 0");

    private static readonly RedisValue[] Fields = ["value", "refresh", "expires"];

    public async Task<CachedToken?> GetAsync(string key)
    {
        var values = await redis.GetDatabase().HashGetAsync(key, Fields);
        if (values[0].IsNullOrEmpty || !values[1].TryParse(out long refresh) || !values[2].TryParse(out long expires)) return null;
        return new CachedToken(values[0]!, DateTimeOffset.FromUnixTimeMilliseconds(refresh), DateTimeOffset.FromUnixTimeMilliseconds(expires));
    }

    public Task SetAsync(string key, CachedToken token, TimeSpan ttl) =>
        redis.GetDatabase().ScriptEvaluateAsync(Set, new
        {
            key = (RedisKey)key,
            value = token.Value,
            refresh = token.RefreshAt.ToUnixTimeMilliseconds(),
            expires = token.ExpiresAt.ToUnixTimeMilliseconds(),
            ttl = Math.Max(1, (long)ttl.TotalMilliseconds),
        });

    public Task InvalidateAsync(string key, string staleValue) =>
        redis.GetDatabase().ScriptEvaluateAsync(Invalidate, new { key = (RedisKey)key, value = staleValue });

    public Task<bool> TryLockAsync(string key, string owner, TimeSpan ttl) =>
        redis.GetDatabase().StringSetAsync(key + ":lock", owner, ttl, When.NotExists);

    public Task ReleaseAsync(string key, string owner) =>
        redis.GetDatabase().ScriptEvaluateAsync(Release, new { key = (RedisKey)(key + ":lock"), owner });
}

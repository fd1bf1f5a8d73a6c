using System.Globalization;
using StackExchange.Redis;
using WecomBridge.Storage;

namespace WecomBridge.Sending.Suppression;

/// <summary>
/// One hash per scope: recipient → "reason|unix ms"; and its tombstones, a sorted set of recipients scored by the
/// unix ms of their last remove, from which each change drops those older than
/// <paramref name="retention"/> (by <paramref name="time"/>). Each change is one script that compares its time with both.
/// Keys: `wb:suppress:{scope}` and, in its cluster slot, `{wb:suppress:{scope}}removed-at` (<see cref="RemovedKey"/>).
/// </summary>
internal sealed class RedisSuppressionList(IConnectionMultiplexer redis, TimeProvider? time = null, TimeSpan? retention = null)
    : ISuppressionList
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _retention = retention ?? TimeSpan.FromDays(30);

    // The last applied change's time: the entry's (after its last '|') or the tombstone's. Older changes are ignored.
    private const string Stale = """
        local at = tonumber(@at)
        local entry = redis.call('HGET', @entries, @recipient)
        local reason, entryAt
        if entry then
          local r, ms = string.match(entry, '^(.*)|(-?%d+)$')
          reason, entryAt = r, tonumber(ms)
        end
        redis.call('ZREMRANGEBYSCORE', @removed, '-inf', '(' .. @horizon)
        local removedAt = tonumber(redis.call('ZSCORE', @removed, @recipient) or '')
        if (entryAt and at < entryAt) or (removedAt and at < removedAt) then return -1 end

        """;

    private static readonly LuaScript Add = LuaScript.Prepare(Stale + """
        redis.call('HSET', @entries, @recipient, @value)
        redis.call('ZREM', @removed, @recipient)
        return 1
        """);

    private static readonly LuaScript Remove = LuaScript.Prepare(Stale + """
        if entry and @onlyReason ~= '' and reason ~= @onlyReason then return -1 end
        redis.call('ZADD', @removed, @at, @recipient)
        if entry then redis.call('HDEL', @entries, @recipient) return 1 end
        return 0
        """);

    internal static string Key(string scope) => "wb:suppress:" + scope;

    /// <summary>The tombstones, tagged with the entries' whole name: one slot for both, the entries' name unchanged.</summary>
    internal static string RemovedKey(string scope) => RedisSlots.SlotOf(Key(scope)) + "removed-at";

    private long Horizon => (_time.GetUtcNow() - _retention).ToUnixTimeMilliseconds();

    public async Task<bool> AddAsync(string scope, string recipient, string reason, DateTimeOffset at) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(Add, new
        {
            entries = (RedisKey)Key(scope), removed = (RedisKey)RemovedKey(scope), recipient, at = at.ToUnixTimeMilliseconds(), horizon = Horizon,
            value = $"{reason}|{at.ToUnixTimeMilliseconds()}",
        }) == 1;

    public async Task<bool> RemoveAsync(string scope, string recipient, DateTimeOffset at, string? onlyReason = null) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(Remove, new
        {
            entries = (RedisKey)Key(scope), removed = (RedisKey)RemovedKey(scope), recipient, at = at.ToUnixTimeMilliseconds(), horizon = Horizon,
            onlyReason = onlyReason ?? "",
        }) == 1;

    public async Task<IReadOnlySet<string>> FindManyAsync(string scope, IReadOnlyList<string> recipients)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in recipients.Chunk(1000))
        {
            var values = await redis.GetDatabase().HashGetAsync(Key(scope), chunk.Select(r => (RedisValue)r).ToArray());
            for (var i = 0; i < chunk.Length; i++) if (!values[i].IsNull) found.Add(chunk[i]);
        }
        return found;
    }

    public async Task<Suppression?> FindAsync(string scope, string recipient)
    {
        var value = (string?)await redis.GetDatabase().HashGetAsync(Key(scope), recipient);
        if (value is null) return null;
        var bar = value.LastIndexOf('|');
        return new Suppression(value[..bar], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value[(bar + 1)..], CultureInfo.InvariantCulture)));
    }
}

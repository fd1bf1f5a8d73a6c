using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace WecomBridge.Sending.Errors;

/// <summary>
/// The error history in Redis, every key of a corp (account) under its hash tag (<c>wb:errors:{wecom:CORP}:…</c>, the
/// same tag as the corp's rate limits), so that each script stays in one cluster slot: <c>:counts</c> (hash, group|minute
/// → sends), <c>:minutes</c> (its buckets by minute, to drop those past the retention), <c>:seen</c> (group → first:last
/// ms), <c>:recent:GROUP</c> (the group's latest sends, capped) and <c>:ambiguous</c> (the latest ambiguous sends,
/// capped). Each record is one script; every key expires a retention after its last write.
/// </summary>
internal sealed class RedisSendErrorStore(IConnectionMultiplexer redis) : ISendErrorStore
{
    private const int MaxEntryJson = 4 * 1024;

    // KEYS: counts, minutes, seen, recent, ambiguous (or the same recent key). ARGV: group, now ms, cutoff minute,
    // retention ms, ttl ms, recent cap, entry, 1 when ambiguous, ambiguous cap.
    private const string Record = """
        local now = tonumber(ARGV[2])
        local minute = math.floor(now / 60000)
        local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
        for i = 1, #old, 500 do redis.call('HDEL', KEYS[1], unpack(old, i, math.min(i + 499, #old))) end
        if #old > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3]) end
        local field = ARGV[1] .. '|' .. minute
        redis.call('HINCRBY', KEYS[1], field, 1)
        redis.call('ZADD', KEYS[2], minute, field)
        local first, last = now, now
        local seen = redis.call('HGETALL', KEYS[3])
        for i = 1, #seen, 2 do
          local f, l = string.match(seen[i + 1], '^(%d+):(%d+)$')
          if not l or tonumber(l) < now - tonumber(ARGV[4]) then
            redis.call('HDEL', KEYS[3], seen[i])
          elseif seen[i] == ARGV[1] then
            first = math.min(tonumber(f), now)
            last = math.max(tonumber(l), now)
          end
        end
        redis.call('HSET', KEYS[3], ARGV[1], string.format('%.0f:%.0f', first, last))
        redis.call('LPUSH', KEYS[4], ARGV[7])
        redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[6]) - 1)
        if ARGV[8] == '1' then
          redis.call('LPUSH', KEYS[5], ARGV[7])
          redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[9]) - 1)
        end
        for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ARGV[5]) end
        return 1
        """;

    // KEYS: counts, seen. ARGV: first minute of the window, now ms, retention ms. Returns group, first, last, count, …
    private const string Read = """
        local sums = {}
        local counts = redis.call('HGETALL', KEYS[1])
        for i = 1, #counts, 2 do
          local g, m = string.match(counts[i], '^(.*)|(%d+)$')
          if g and tonumber(m) >= tonumber(ARGV[1]) then sums[g] = (sums[g] or 0) + tonumber(counts[i + 1]) end
        end
        local out = {}
        local seen = redis.call('HGETALL', KEYS[2])
        for i = 1, #seen, 2 do
          local f, l = string.match(seen[i + 1], '^(%d+):(%d+)$')
          if l and tonumber(l) >= tonumber(ARGV[2]) - tonumber(ARGV[3]) and sums[seen[i]] then
            table.insert(out, seen[i]); table.insert(out, f); table.insert(out, l); table.insert(out, tostring(sums[seen[i]]))
          end
        end
        return out
        """;

    private static RedisKey Key(string scope, string name) => $"wb:errors:{{{scope}}}:{name}";

    public async Task RecordAsync(SendError error, SendErrorLimits limits)
    {
        var now = error.Entry.At.ToUnixTimeMilliseconds();
        var ambiguous = error.State == Status.SendStates.Ambiguous;
        var recent = Key(error.Scope, "recent:" + error.Group);
        RedisKey[] keys =
        [
            Key(error.Scope, "counts"), Key(error.Scope, "minutes"), Key(error.Scope, "seen"), recent,
            ambiguous ? Key(error.Scope, "ambiguous") : recent,
        ];
        var retention = (long)limits.Retention.TotalMilliseconds;
        await redis.GetDatabase().ScriptEvaluateAsync(Record, keys,
        [
            error.Group, now, (now - retention) / 60_000, retention, retention + 60_000, limits.RecentPerGroup,
            JsonSerializer.Serialize(error.Entry, JsonSerializerOptions.Web), ambiguous ? 1 : 0, limits.MaxAmbiguous,
        ]);
    }

    public async Task<IReadOnlyList<SendErrorGroup>> ReadAsync(string scope, DateTimeOffset now, TimeSpan window, SendErrorLimits limits)
    {
        var db = redis.GetDatabase();
        var ms = now.ToUnixTimeMilliseconds();
        var found = (RedisResult[])(await db.ScriptEvaluateAsync(Read, [Key(scope, "counts"), Key(scope, "seen")],
            [(ms - (long)window.TotalMilliseconds) / 60_000, ms, (long)limits.Retention.TotalMilliseconds]))!;
        var groups = new List<SendErrorGroup>();
        for (var i = 0; i + 3 < found.Length; i += 4)
        {
            var group = (string)found[i]!;
            if (Parse(group) is not { } parsed) continue;
            var recent = await db.ListRangeAsync(Key(scope, "recent:" + group), 0, limits.RecentPerGroup - 1);
            groups.Add(new SendErrorGroup(parsed.State, parsed.ErrCode, int.Parse((string)found[i + 3]!, CultureInfo.InvariantCulture),
                Ms((string)found[i + 1]!), Ms((string)found[i + 2]!), Entries(recent, now, limits)));
        }
        return groups;
    }

    public async Task<IReadOnlyList<SendErrorEntry>> AmbiguousAsync(string scope, DateTimeOffset now, int limit, SendErrorLimits limits) =>
        Entries(await redis.GetDatabase().ListRangeAsync(Key(scope, "ambiguous"), 0, Math.Min(limit, limits.MaxAmbiguous) - 1), now, limits);

    private static List<SendErrorEntry> Entries(RedisValue[] values, DateTimeOffset now, SendErrorLimits limits) =>
        values.Select(v => EntryOf(v)).OfType<SendErrorEntry>().Where(e => e.At >= now - limits.Retention).ToList();

    /// <summary>An entry as stored; anything that does not read as one is left out.</summary>
    private static SendErrorEntry? EntryOf(RedisValue value)
    {
        if (value.IsNullOrEmpty || value.Length() > MaxEntryJson) return null;
        try
        {
            return JsonSerializer.Deserialize<SendErrorEntry>((string)value!, JsonSerializerOptions.Web) is { MessageId.Length: > 0 } e ? e : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string State, int? ErrCode)? Parse(string group)
    {
        var colon = group.LastIndexOf(':');
        if (colon <= 0) return null;
        var code = group[(colon + 1)..];
        if (code == "-") return (group[..colon], null);
        return int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? (group[..colon], n) : null;
    }

    private static DateTimeOffset Ms(string text) => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(text, CultureInfo.InvariantCulture));
}

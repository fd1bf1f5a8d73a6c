using System.Globalization;
using StackExchange.Redis;

namespace WecomBridge.RateLimits;

/// <summary>
/// One script call per reservation, on Redis's clock (µs), atomic across instances. A paced bucket keeps the time of
/// its next free slot (GCRA without burst: slot = max(now, next), next = slot + spacing); a counted bucket keeps its
/// permits in a sorted set (score = the reserved time). The script takes the latest of every bucket's earliest time
/// and reserves it in all of them, or in none when it lies beyond the caller's maxWait.
/// The keys of a bucket share the hash tag of its first two segments ("wecom:{corp}", "oa:{account}"), so that
/// the buckets of one send live in one slot.
/// </summary>
internal sealed class RedisRateLimiter(IConnectionMultiplexer redis) : IRateLimiter
{
    // KEYS: per bucket its state and its observed spread. ARGV: maxWait µs, a unique member, then per bucket kind ('p'
    // paced, 'c' counted), spacing µs (paced) or permits (counted), window µs, permits and jitter µs (paced). A paced
    // bucket is spaced no closer than its departure check lets calls go: (window + the larger of jitter and spread) / permits.
    private const string Reserve = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local n = #KEYS / 2
        local at = now
        local spacing = {}
        for i = 1, n do
          local state, kind, a, w = KEYS[2 * i - 1], ARGV[5 * i - 2], tonumber(ARGV[5 * i - 1]), tonumber(ARGV[5 * i])
          if kind == 'p' then
            local spread = math.max(tonumber(ARGV[5 * i + 2]), tonumber(redis.call('GET', KEYS[2 * i]) or '0'))
            spacing[i] = math.max(a, (w + spread) / tonumber(ARGV[5 * i + 1]))
            at = math.max(at, tonumber(redis.call('GET', state) or '0'))
          else
            redis.call('ZREMRANGEBYSCORE', state, '-inf', string.format('%.0f', now - w))
            local count = redis.call('ZCARD', state)
            if count >= a then
              local nth = redis.call('ZRANGE', state, count - a, count - a, 'WITHSCORES')
              at = math.max(at, tonumber(nth[2]) + w + 1)
            end
          end
        end
        local wait = at - now
        if wait > tonumber(ARGV[1]) then return {0, string.format('%.0f', wait), string.format('%.0f', at)} end
        for i = 1, n do
          local state, kind, w = KEYS[2 * i - 1], ARGV[5 * i - 2], tonumber(ARGV[5 * i])
          if kind == 'p' then
            local a = spacing[i]
            redis.call('SET', state, string.format('%.0f', at + a), 'PX', math.ceil((at + a - now) / 1000) + 1000)
          else
            redis.call('ZADD', state, string.format('%.0f', at), ARGV[2])
            redis.call('PEXPIRE', state, math.ceil((at + w - now) / 1000) + 1000)
          end
        end
        return {1, string.format('%.0f', wait), string.format('%.0f', at)}
        """;

    // KEYS: the bucket's departures (a sorted set scored by µs), its pause (a hash; 'until': unix ms), its observed
    // spread (µs). ARGV: permits, window µs, jitter µs, a unique member, the caller's observed spread µs (the longest
    // time from a departure check to its answer since its last check). The spread kept is the largest reported in the
    // last two windows. Returns the wait µs and, when a pause makes it, the pause's end (ms).
    private const string Depart = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local window, reported = tonumber(ARGV[2]), tonumber(ARGV[5])
        local spread = tonumber(redis.call('GET', KEYS[3]) or '0')
        if reported > spread then
          spread = reported
          redis.call('SET', KEYS[3], string.format('%.0f', spread), 'PX', math.ceil(2 * window / 1000))
        end
        local paused = tonumber(redis.call('HGET', KEYS[2], 'until') or '') or 0
        if paused * 1000 > now then return {string.format('%.0f', paused * 1000 - now), string.format('%.0f', paused)} end
        local permits, span = tonumber(ARGV[1]), window + math.max(tonumber(ARGV[3]), spread)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - span))
        local count = redis.call('ZCARD', KEYS[1])
        if count >= permits then
          local nth = redis.call('ZRANGE', KEYS[1], count - permits, count - permits, 'WITHSCORES')
          return {string.format('%.0f', math.max(1, tonumber(nth[2]) + span + 1 - now)), '0'}
        end
        redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[4])
        redis.call('PEXPIRE', KEYS[1], math.ceil(span / 1000) + 1000)
        return {'0', '0'}
        """;

    public async Task<RateGrant> ReserveAsync(IReadOnlyList<RateBucket> buckets, TimeSpan maxWait)
    {
        var keys = new RedisKey[buckets.Count * 2];
        var args = new RedisValue[2 + buckets.Count * 5];
        args[0] = Micros(maxWait > TimeSpan.FromDays(3650) ? TimeSpan.FromDays(3650) : maxWait);
        args[1] = Guid.NewGuid().ToString("N");
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            keys[2 * i] = Key(b.Key, b.Spacing is null ? "permits" : "next");
            keys[2 * i + 1] = Key(b.Key, "spread");
            args[2 + 5 * i] = b.Spacing is null ? "c" : "p";
            args[3 + 5 * i] = b.Spacing is { } spacing ? Micros(spacing) : b.Limit.Permits;
            args[4 + 5 * i] = Micros(b.Limit.Window);
            args[5 + 5 * i] = b.Limit.Permits;
            args[6 + 5 * i] = Micros(b.Jitter);
        }
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Reserve, keys, args))!;
        var wait = TimeSpan.FromMicroseconds(Math.Max(0, Parse(result[1])));
        return new RateGrant((long)result[0] == 1, wait, DateTimeOffset.UnixEpoch.AddTicks(Parse(result[2]) * 10));
    }

    public async Task<Departure> DepartAsync(RateBucket bucket, TimeSpan spread)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Depart,
            [Key(bucket.Key, "departed"), PauseKey(bucket.Key), Key(bucket.Key, "spread")],
            [bucket.Limit.Permits, Micros(bucket.Limit.Window), Micros(bucket.Jitter), Guid.NewGuid().ToString("N"), Micros(spread)]))!;
        var paused = Parse(result[1]);
        return new Departure(TimeSpan.FromMicroseconds(Parse(result[0])), paused > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(paused) : null);
    }

    /// <summary>
    /// The bucket's pause: a hash whose field <see cref="PausedUntilField"/> holds its end (unix ms), written by the
    /// dispatcher's throttle pauses (with the pause's record beside it) and read by the departure check.
    /// </summary>
    internal static RedisKey PauseKey(string bucket) => Key(bucket, "paused");

    internal const string PausedUntilField = "until";

    /// <summary>"wb:rl:{wecom:acme}:externalcontact/add_msg_template:next": the hash tag groups a corp's (account's) buckets.</summary>
    internal static RedisKey Key(string bucket, string part)
    {
        var second = bucket.IndexOf(':', bucket.IndexOf(':') + 1);
        var (scope, rest) = second < 0 ? (bucket, "") : (bucket[..second], bucket[second..]);
        return $"wb:rl:{{{scope}}}{rest}:{part}";
    }

    private static long Micros(TimeSpan span) => span.Ticks / 10;

    private static long Parse(RedisResult value) => long.Parse((string)value!, CultureInfo.InvariantCulture);
}

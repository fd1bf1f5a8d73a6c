using StackExchange.Redis;
using WecomBridge.RateLimits;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// A throttle pause lives under its API bucket's key (<see cref="RedisRateLimiter.PauseKey"/>, a hash: the pause as
/// JSON and its end), the one state the departure check of every paced call reads too; it expires QuietPeriod after
/// its end (no record grows forever), and <c>wb:pauses:throttled-index</c> lists the buckets for readiness.
/// Configuration pauses: one hash, scope → the pause as JSON (<c>wb:pauses:configuration</c>). Each change is one
/// script, so that the decision (start, or join a pause already on; the level; the probe) is atomic across
/// instances. A record that does not read as a pause counts as none and is overwritten.
/// </summary>
internal sealed class RedisSendPauseStore(IConnectionMultiplexer redis) : ISendPauseStore
{
    private static readonly RedisKey Index = "wb:pauses:throttled-index";
    private static readonly RedisKey Configured = "wb:pauses:configuration";

    private const string Decode = """
        local function read(json)
          if not json then return nil end
          local ok, p = pcall(cjson.decode, json)
          if ok and type(p) == 'table' and tonumber(p.untilMs) then return p end
          return nil
        end
        """;

    // KEYS: the bucket's pause. ARGV: scope, now, quiet, fixed until (0: none), proposal, then the length of each level from 0.
    private const string Throttle = Decode + "\n" + """
        local now = tonumber(ARGV[2])
        local cur = read(redis.call('HGET', KEYS[1], 'json'))
        local level = 0
        if cur then
          if tonumber(cur.untilMs) > now then return {0, cjson.encode(cur)} end
          if now < tonumber(cur.untilMs) + tonumber(ARGV[3]) then level = math.min((tonumber(cur.level) or 0) + 1, #ARGV - 6) end
        end
        local p = cjson.decode(ARGV[5])
        p.level = level
        p.sinceMs = now
        p.untilMs = now + tonumber(ARGV[6 + level])
        if tonumber(ARGV[4]) > 0 then p.untilMs = tonumber(ARGV[4]) end
        local json = cjson.encode(p)
        redis.call('HSET', KEYS[1], 'json', json, 'until', string.format('%.0f', p.untilMs))
        redis.call('PEXPIRE', KEYS[1], math.max(1000, p.untilMs - now + tonumber(ARGV[3])))
        return {1, json}
        """;

    // ARGV: scope, now, probe, proposal. The same errcode again is the same pause: its next probe moves on.
    private const string Configure = Decode + "\n" + """
        local now = tonumber(ARGV[2])
        local p = cjson.decode(ARGV[4])
        local cur = read(redis.call('HGET', KEYS[1], ARGV[1]))
        local started = 1
        if cur and tostring(cur.errCode) == tostring(p.errCode) then p = cur; started = 0 else p.sinceMs = now end
        p.untilMs = now + tonumber(ARGV[3])
        local json = cjson.encode(p)
        redis.call('HSET', KEYS[1], ARGV[1], json)
        return {started, json}
        """;

    // ARGV: scope, now, probe.
    private const string Claim = Decode + "\n" + """
        local now = tonumber(ARGV[2])
        local cur = read(redis.call('HGET', KEYS[1], ARGV[1]))
        if not cur then return {1, false} end
        if tonumber(cur.untilMs) > now then return {0, cjson.encode(cur)} end
        cur.untilMs = now + tonumber(ARGV[3])
        local json = cjson.encode(cur)
        redis.call('HSET', KEYS[1], ARGV[1], json)
        return {1, json}
        """;

    private const string Lift = """
        local cur = redis.call('HGET', KEYS[1], ARGV[1])
        if cur then redis.call('HDEL', KEYS[1], ARGV[1]) end
        return cur
        """;

    public async Task<(SendPause? Throttle, IReadOnlyList<SendPause> Configuration)> FindAsync(string bucket, IReadOnlyList<string> scopes)
    {
        var db = redis.GetDatabase();
        var throttle = db.HashGetAsync(RedisRateLimiter.PauseKey(bucket), "json");
        var configured = db.HashGetAsync(Configured, scopes.Select(s => (RedisValue)s).ToArray());
        return (SendPauseJson.Read(await throttle), (await configured).Select(SendPauseJson.Read).OfType<SendPause>().ToArray());
    }

    public async Task<PauseWrite> ThrottleAsync(SendPause proposal, ThrottleRule rule, DateTimeOffset now)
    {
        var args = new List<RedisValue>
        {
            proposal.Scope, now.ToUnixTimeMilliseconds(), (long)rule.Quiet.TotalMilliseconds,
            rule.FixedUntil?.ToUnixTimeMilliseconds() ?? 0, SendPauseJson.Write(proposal),
        };
        args.AddRange(Enumerable.Range(0, ThrottleRule.TopLevel + 1).Select(level => (RedisValue)rule.LengthMs(level)));
        var db = redis.GetDatabase();
        var written = Written(await db.ScriptEvaluateAsync(Throttle, [RedisRateLimiter.PauseKey(proposal.Scope)], [.. args]));
        if (written.Started) await db.SortedSetAddAsync(Index, proposal.Scope, written.Pause.UntilMs);
        return written;
    }

    public async Task<PauseWrite> PauseConfigurationAsync(SendPause proposal, TimeSpan probe, DateTimeOffset now) =>
        Written(await redis.GetDatabase().ScriptEvaluateAsync(Configure, [Configured],
            [proposal.Scope, now.ToUnixTimeMilliseconds(), (long)probe.TotalMilliseconds, SendPauseJson.Write(proposal)]));

    public async Task<(bool Claimed, SendPause? Pause)> ClaimProbeAsync(string scope, TimeSpan probe, DateTimeOffset now)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Claim, [Configured],
            [scope, now.ToUnixTimeMilliseconds(), (long)probe.TotalMilliseconds]))!;
        return ((long)result[0] == 1, result[1].IsNull ? null : SendPauseJson.Read((RedisValue)result[1]));
    }

    public async Task<SendPause?> LiftAsync(string scope)
    {
        var removed = await redis.GetDatabase().ScriptEvaluateAsync(Lift, [Configured], [scope]);
        return removed.IsNull ? null : SendPauseJson.Read((RedisValue)removed);
    }

    public async Task<IReadOnlyList<SendPause>> AllAsync()
    {
        var db = redis.GetDatabase();
        var configured = db.HashValuesAsync(Configured);
        var buckets = await db.SortedSetRangeByRankAsync(Index);
        var throttled = await Task.WhenAll(buckets.Select(b => db.HashGetAsync(RedisRateLimiter.PauseKey(b!), "json")));
        // A bucket whose pause record has expired leaves the index.
        var gone = buckets.Where((_, i) => throttled[i].IsNull).ToArray();
        if (gone.Length > 0) await db.SortedSetRemoveAsync(Index, gone);
        return throttled.Where(t => !t.IsNull).Concat(await configured).Select(SendPauseJson.Read).OfType<SendPause>().ToArray();
    }

    private static PauseWrite Written(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        var pause = SendPauseJson.Read((RedisValue)parts[1]) ?? throw new InvalidOperationException("the pause written does not read back");
        return new PauseWrite((long)parts[0] == 1, pause);
    }
}

using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WecomBridge.Resync;

/// <summary>
/// Keys `wb:resync:lock:{wecom:corp|oa:account}:{scope}` = the running id (LockTtl, renewed per page) and
/// `wb:resync:run:{id}` = the progress JSON (ProgressTtl). Each step is one Lua script, so the lock and the
/// progress never disagree across instances.
/// </summary>
internal sealed class RedisResyncStore(IConnectionMultiplexer redis, IOptions<ResyncOptions> options) : IResyncStore
{
    private const string Start = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
          return false
        end
        return redis.call('GET', KEYS[1])
        """;

    // ARGV[5]: 1 = finish (free the lock), 0 = progress (renew it). Only the holder touches the lock.
    private const string Update = """
        redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          if ARGV[5] == '1' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        end
        return 1
        """;

    public async Task<string?> TryStartAsync(ResyncProgress run)
    {
        var holder = await redis.GetDatabase().ScriptEvaluateAsync(Start, Keys(run), Values(run, finish: false));
        return holder.IsNull ? null : (string?)holder;
    }

    public Task SaveAsync(ResyncProgress run) => redis.GetDatabase().ScriptEvaluateAsync(Update, Keys(run), Values(run, finish: false));

    public Task FinishAsync(ResyncProgress run) => redis.GetDatabase().ScriptEvaluateAsync(Update, Keys(run), Values(run, finish: true));

    public async Task<ResyncProgress?> GetAsync(string id)
    {
        var json = await redis.GetDatabase().StringGetAsync(RunKey(id));
        return json.IsNull ? null : JsonSerializer.Deserialize<ResyncProgress>((string)json!, JsonSerializerOptions.Web);
    }

    private static RedisKey RunKey(string id) => "wb:resync:run:" + id;

    private static RedisKey[] Keys(ResyncProgress run) => ["wb:resync:lock:" + run.LockKey, RunKey(run.Id)];

    private RedisValue[] Values(ResyncProgress run, bool finish) =>
    [
        run.Id,
        (long)options.Value.LockTtl.TotalMilliseconds,
        JsonSerializer.Serialize(run, JsonSerializerOptions.Web),
        (long)options.Value.ProgressTtl.TotalMilliseconds,
        finish ? 1 : 0,
    ];
}

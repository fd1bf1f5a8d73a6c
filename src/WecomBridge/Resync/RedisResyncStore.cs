using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WecomBridge.Resync;

/// <summary>
/// Keys `wb:resync:lock:{wecom:corp|oa:account}:{scope}` = the running id (LockTtl, renewed per page) and
/// `wb:resync:run:{id}` = the progress JSON (ProgressTtl). The two live in different cluster slots (a run is read by
/// its id alone), so each step writes the progress, then takes, renews or frees the lock with a script on the lock
/// alone that only the holder's id passes. A start writes its progress only once it holds the lock; an instance that
/// stops between the two writes leaves at worst a lock without progress, which expires after LockTtl.
/// </summary>
internal sealed class RedisResyncStore(IConnectionMultiplexer redis, IOptions<ResyncOptions> options) : IResyncStore
{
    private const string Start = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
        return redis.call('GET', KEYS[1])
        """;

    // ARGV[3]: 1 = finish (free the lock), 0 = progress (renew it). Only the holder touches the lock.
    private const string Hold = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          if ARGV[3] == '1' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        end
        return 1
        """;

    public async Task<string?> TryStartAsync(ResyncProgress run)
    {
        var holder = await redis.GetDatabase().ScriptEvaluateAsync(Start, [LockKey(run)], [run.Id, LockMs]);
        if (!holder.IsNull) return (string?)holder;
        await WriteAsync(run);
        return null;
    }

    public Task SaveAsync(ResyncProgress run) => UpdateAsync(run, finish: false);

    public Task FinishAsync(ResyncProgress run) => UpdateAsync(run, finish: true);

    private async Task UpdateAsync(ResyncProgress run, bool finish)
    {
        await WriteAsync(run);
        await redis.GetDatabase().ScriptEvaluateAsync(Hold, [LockKey(run)], [run.Id, LockMs, finish ? 1 : 0]);
    }

    public async Task<ResyncProgress?> GetAsync(string id)
    {
        var json = await redis.GetDatabase().StringGetAsync(RunKey(id));
        return json.IsNull ? null : JsonSerializer.Deserialize<ResyncProgress>((string)json!, JsonSerializerOptions.Web);
    }

    private static RedisKey RunKey(string id) => "wb:resync:run:" + id;

    private static RedisKey LockKey(ResyncProgress run) => "wb:resync:lock:" + run.LockKey;

    private long LockMs => (long)options.Value.LockTtl.TotalMilliseconds;

    private Task WriteAsync(ResyncProgress run) => redis.GetDatabase().StringSetAsync(RunKey(run.Id),
        JsonSerializer.Serialize(run, JsonSerializerOptions.Web), options.Value.ProgressTtl);
}

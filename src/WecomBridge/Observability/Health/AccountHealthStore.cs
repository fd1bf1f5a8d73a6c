using System.Collections.Concurrent;
using StackExchange.Redis;

namespace WecomBridge.Observability.Health;

/// <summary>
/// One observation: when, whether it went well, and for a failure its errcode (or HTTP status) and a short reason
/// (an errcode class or a refusal reason; never a secret, token or payload).
/// </summary>
internal sealed record HealthMark(long AtMs, bool Ok, int? ErrCode = null, string? Reason = null)
{
    public DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds(AtMs);
}

/// <summary>
/// The last marks of each credential's token fetch and each callback source, by field ("token:{key}:ok",
/// "callback:wecom:{corp}:{app}:fail", …): shared by all instances (Redis) or in memory. Last writer wins per field.
/// </summary>
internal interface IAccountHealthStore
{
    Task SetAsync(string field, HealthMark mark);

    Task<IReadOnlyDictionary<string, HealthMark>> AllAsync();
}

internal sealed class InMemoryAccountHealthStore : IAccountHealthStore
{
    private readonly ConcurrentDictionary<string, HealthMark> _marks = new(StringComparer.Ordinal);

    public Task SetAsync(string field, HealthMark mark)
    {
        _marks[field] = mark;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, HealthMark>> AllAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, HealthMark>>(new Dictionary<string, HealthMark>(_marks));
}

/// <summary>One hash next to the access tokens (ApiClients:TokenKeyPrefix + "health"), kept 30 days after its last write.</summary>
internal sealed class RedisAccountHealthStore(IConnectionMultiplexer redis, string key) : IAccountHealthStore
{
    private static readonly TimeSpan Keep = TimeSpan.FromDays(30);

    public async Task SetAsync(string field, HealthMark mark)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var set = batch.HashSetAsync(key, field, System.Text.Json.JsonSerializer.Serialize(mark));
        var expire = batch.KeyExpireAsync(key, Keep);
        batch.Execute();
        await Task.WhenAll(set, expire);
    }

    public async Task<IReadOnlyDictionary<string, HealthMark>> AllAsync()
    {
        var all = new Dictionary<string, HealthMark>(StringComparer.Ordinal);
        foreach (var entry in await redis.GetDatabase().HashGetAllAsync(key))
        {
            try
            {
                if (System.Text.Json.JsonSerializer.Deserialize<HealthMark>(entry.Value.ToString()) is { } mark) all[entry.Name.ToString()] = mark;
            }
            catch (System.Text.Json.JsonException)
            {
                // a field written by another version: skipped, the next write replaces it
            }
        }
        return all;
    }
}

using System.Globalization;
using StackExchange.Redis;

namespace WecomBridge.Sending.Suppression;

/// <summary>One hash per scope: recipient → "reason|unix ms".</summary>
internal sealed class RedisSuppressionList(IConnectionMultiplexer redis) : ISuppressionList
{
    private static RedisKey Key(string scope) => "wb:suppress:" + scope;

    public Task AddAsync(string scope, string recipient, string reason, DateTimeOffset at) =>
        redis.GetDatabase().HashSetAsync(Key(scope), recipient, $"{reason}|{at.ToUnixTimeMilliseconds()}");

    public Task<bool> RemoveAsync(string scope, string recipient) => redis.GetDatabase().HashDeleteAsync(Key(scope), recipient);

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

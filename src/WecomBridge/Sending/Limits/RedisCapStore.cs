using StackExchange.Redis;

namespace WecomBridge.Sending.Limits;

/// <summary>One set of message ids per corp, period and recipient (`wb:cap:{corp:period}:recipient`: one cluster slot per corp and period).</summary>
internal sealed class RedisCapStore(IConnectionMultiplexer redis) : ICapStore
{
    private const int Batch = 500;

    private const string Take = """
        local refused = {}
        for i, key in ipairs(KEYS) do
          if redis.call('SISMEMBER', key, ARGV[1]) == 0 then
            if redis.call('SCARD', key) >= tonumber(ARGV[2]) then
              refused[#refused + 1] = i - 1
            else
              redis.call('SADD', key, ARGV[1])
              redis.call('PEXPIREAT', key, ARGV[3])
            end
          end
        end
        return refused
        """;

    private static RedisKey Key(string corp, string period, string recipient) => $"wb:cap:{{{corp}:{period}}}:{recipient}";

    public async Task<IReadOnlyList<string>> TakeAsync(string corp, string period, int limit, DateTimeOffset periodEnds, string messageId,
        IReadOnlyList<string> recipients)
    {
        var refused = new List<string>();
        var expires = periodEnds.AddDays(1).ToUnixTimeMilliseconds(); // kept a day longer: clocks and late retries
        foreach (var chunk in recipients.Chunk(Batch))
        {
            var keys = chunk.Select(r => Key(corp, period, r)).ToArray();
            var over = (int[])(await redis.GetDatabase().ScriptEvaluateAsync(Take, keys, [messageId, limit, expires]))!;
            refused.AddRange(over.Select(i => chunk[i]));
        }
        return refused;
    }

    public async Task GiveBackAsync(string corp, string period, string messageId, IReadOnlyList<string> recipients)
    {
        var db = redis.GetDatabase();
        foreach (var chunk in recipients.Chunk(Batch))
            await Task.WhenAll(chunk.Select(r => db.SetRemoveAsync(Key(corp, period, r), messageId)));
    }
}

using StackExchange.Redis;

namespace WecomBridge.Sending.Audience;

/// <summary>
/// The ledger in Redis: `wb:audience:{messageId}:contacts` (contact → task, HSETNX) and `wb:audience:{messageId}`
/// (progress fields), one cluster slot per message, both kept as long as the message's status.
/// </summary>
internal sealed class RedisAudienceLedger(IConnectionMultiplexer redis, TimeSpan retention) : IAudienceLedger
{
    /// <summary>Contacts per script call: a page is assigned in a few steps, each atomic (a contact is assigned once).</summary>
    private const int Batch = 1_000;

    private const string Assign = """
        local tasks = {}
        for i = 2, #ARGV, 2 do
          redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
          tasks[#tasks + 1] = redis.call('HGET', KEYS[1], ARGV[i])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return tasks
        """;

    private static RedisKey Fields(string messageId) => $"wb:audience:{{{messageId}}}";

    private static RedisKey Contacts(string messageId) => $"wb:audience:{{{messageId}}}:contacts";

    public async Task<IReadOnlyList<string>> AssignAsync(string messageId, IReadOnlyList<KeyValuePair<string, string>> contactTasks)
    {
        var tasks = new List<string>(contactTasks.Count);
        foreach (var chunk in contactTasks.Chunk(Batch))
        {
            var args = new List<RedisValue>(chunk.Length * 2 + 1) { (long)retention.TotalMilliseconds };
            foreach (var (contact, task) in chunk) args.AddRange([contact, task]);
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Assign, [Contacts(messageId)], [.. args]))!;
            tasks.AddRange(result.Select(r => (string)r!));
        }
        return tasks;
    }

    public async Task SetAsync(string messageId, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        if (fields.Count == 0) return;
        var db = redis.GetDatabase();
        var batch = db.CreateTransaction();
        _ = batch.HashSetAsync(Fields(messageId), [.. fields.Select(f => new HashEntry(f.Key, f.Value))]);
        _ = batch.KeyExpireAsync(Fields(messageId), retention);
        await batch.ExecuteAsync();
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string messageId) =>
        (await redis.GetDatabase().HashGetAllAsync(Fields(messageId))).ToDictionary(e => (string)e.Name!, e => (string)e.Value!,
            StringComparer.Ordinal);
}

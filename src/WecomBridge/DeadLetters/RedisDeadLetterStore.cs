using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Messaging;

namespace WecomBridge.DeadLetters;

/// <summary>
/// Dead letters in Redis, shared by the instances of a deployment: `{prefix}{dl}msg:{id}` a hash (seq, queue, bytes, the
/// letter's JSON), `{prefix}{dl}q:{queue}` a sorted set of ids by sequence, `{prefix}{dl}queues` the queues that have
/// some, `{prefix}{dl}count`/`bytes`/`seq` the totals the bound is checked on, `{prefix}{dl}lease:{id}` an action under
/// way. Adds and deletes are one script each, so the totals never drift from what is stored; since the totals bound
/// every letter, all keys share one cluster slot (the "{dl}" tag): dead letters are few, one slot carries them.
/// </summary>
internal sealed class RedisDeadLetterStore(IConnectionMultiplexer redis, IOptions<DeadLetterOptions> options) : IDeadLetterStore
{
    private const string AddScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
        local count = tonumber(redis.call('GET', KEYS[5]) or '0')
        local bytes = tonumber(redis.call('GET', KEYS[4]) or '0')
        if count >= tonumber(ARGV[5]) or bytes + tonumber(ARGV[4]) > tonumber(ARGV[6]) then return 2 end
        local seq = redis.call('INCR', KEYS[6])
        redis.call('HSET', KEYS[1], 'seq', seq, 'queue', ARGV[2], 'bytes', ARGV[4], 'json', ARGV[3])
        redis.call('ZADD', KEYS[2], seq, ARGV[1])
        redis.call('SADD', KEYS[3], ARGV[2])
        redis.call('INCRBY', KEYS[4], ARGV[4])
        redis.call('INCR', KEYS[5])
        return 0
        """;

    // KEYS[5]: the queue's set, named by the caller from the queue it read (a cluster runs only declared keys);
    // ARGV[2]: that queue, -1 when the letter names another one by now.
    private const string DeleteScript = """
        local q = redis.call('HGET', KEYS[1], 'queue')
        if not q then return 0 end
        if q ~= ARGV[2] then return -1 end
        local b = redis.call('HGET', KEYS[1], 'bytes')
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[5], ARGV[1])
        if redis.call('ZCARD', KEYS[5]) == 0 then redis.call('SREM', KEYS[4], q) end
        redis.call('DECRBY', KEYS[2], b)
        redis.call('DECR', KEYS[3])
        return 1
        """;

    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private IDatabase Db => redis.GetDatabase();
    private string P => options.Value.KeyPrefix + "{dl}";

    public async Task<StoreResult> AddAsync(DeadLetter letter)
    {
        var json = JsonSerializer.Serialize(letter, EventJson.Options);
        var result = (int)await Db.ScriptEvaluateAsync(AddScript,
            [P + "msg:" + letter.Id, P + "q:" + letter.Queue, P + "queues", P + "bytes", P + "count", P + "seq"],
            [letter.Id, letter.Queue, json, letter.Body.Length, options.Value.MaxMessages, options.Value.MaxBytes]);
        return result switch { 0 => StoreResult.Added, 1 => StoreResult.Duplicate, _ => StoreResult.Full };
    }

    public async Task<IReadOnlyList<(string Queue, long Count)>> QueuesAsync()
    {
        var queues = (await Db.SetMembersAsync(P + "queues")).Select(q => q.ToString()).Order(StringComparer.Ordinal).ToList();
        var counts = await Task.WhenAll(queues.Select(q => Db.SortedSetLengthAsync(P + "q:" + q)));
        return queues.Zip(counts).Where(q => q.Second > 0).ToList();
    }

    public async Task<IReadOnlyList<(long Seq, DeadLetter Letter)>> ListAsync(string queue, long after, int limit)
    {
        var ids = await Db.SortedSetRangeByScoreWithScoresAsync(
            P + "q:" + queue, after, double.PositiveInfinity, Exclude.Start, skip: 0, take: limit);
        var letters = await Task.WhenAll(ids.Select(e => GetAsync(e.Element.ToString())));
        return ids.Zip(letters).Where(p => p.Second is not null).Select(p => ((long)p.First.Score, p.Second!)).ToList();
    }

    public async Task<DeadLetter?> GetAsync(string id)
    {
        var json = await Db.HashGetAsync(P + "msg:" + id, "json");
        return json.IsNull ? null : JsonSerializer.Deserialize<DeadLetter>(json.ToString(), EventJson.Options);
    }

    public Task<bool> TryLeaseAsync(string id, string owner, TimeSpan lease) =>
        Db.StringSetAsync(P + "lease:" + id, owner, lease, When.NotExists);

    public Task ReleaseAsync(string id, string owner) => Db.ScriptEvaluateAsync(ReleaseScript, [P + "lease:" + id], [owner]);

    public async Task<bool> DeleteAsync(string id)
    {
        while (true)
        {
            var queue = await Db.HashGetAsync(P + "msg:" + id, "queue");
            if (queue.IsNull) return false;
            var deleted = (int)await Db.ScriptEvaluateAsync(DeleteScript,
                [P + "msg:" + id, P + "bytes", P + "count", P + "queues", P + "q:" + queue], [id, queue]);
            if (deleted >= 0) return deleted == 1;
        }
    }

    public async Task<(long Count, long Bytes)> SizeAsync()
    {
        var values = await Db.StringGetAsync([P + "count", P + "bytes"]);
        return ((long?)values[0] ?? 0, (long?)values[1] ?? 0);
    }
}

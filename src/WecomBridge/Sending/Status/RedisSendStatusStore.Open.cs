using System.Globalization;
using StackExchange.Redis;
using WecomBridge.Storage;

namespace WecomBridge.Sending.Status;

/// <summary>The index of unfinished messages (<see cref="OpenMessages"/>) and the compare-and-set that settles one.</summary>
internal sealed partial class RedisSendStatusStore
{
    // An index entry without a score (written before the index existed) does not hold a settle back.
    private static readonly LuaScript Settle = LuaScript.Prepare(RedisSendScripts.Reindex + """
        if redis.call('HGET', @key, 'state') ~= @seen then return 0 end
        local due = redis.call('ZSCORE', @seenIndex, @id)
        if due and tonumber(due) ~= tonumber(@seenDue) then return 0 end
        redis.call('HSET', @key, 'doc', @doc, 'state', @state)
        redis.call('HDEL', @key, 'lease', 'owner')
        redis.call('PEXPIRE', @key, @retention)
        reindex(@state, 0)
        return 1
        """);

    internal static RedisKey OpenKey(string state, string messageId) => OpenKeyOfShard(state, ShardOf(messageId));

    private static RedisKey OpenKeyOfShard(string state, string shard) => $"wb:open:{shard}:{state}";

    private static readonly string[] AllShards =
        Enumerable.Range(0, Shards).Select(i => RedisSlots.Tag("m" + i.ToString("D2", CultureInfo.InvariantCulture))).ToArray();

    public async Task<bool> SettleAsync(SendStatus settled, SendStatus seen)
    {
        if (!settled.IsFinished) throw new ArgumentException("only a final state settles a message", nameof(settled));
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(Settle, new
        {
            key = MessageKey(settled.MessageId),
            id = settled.MessageId,
            openAccepted = OpenKey(SendStates.Accepted, settled.MessageId),
            openDeferred = OpenKey(SendStates.Deferred, settled.MessageId),
            openSending = OpenKey(SendStates.Sending, settled.MessageId),
            seen = seen.State,
            seenIndex = OpenKey(seen.State, settled.MessageId),
            seenDue = OpenMessages.DueMs(seen),
            doc = Serialize(SendClaims.ForSave(settled)),
            state = settled.State,
            retention = Retention,
        }) == 1;
    }

    /// <summary>The earliest due of every shard's index, merged: each shard gives at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<string>> ListOpenAsync(string state, DateTimeOffset dueBy, int limit)
    {
        var db = redis.GetDatabase();
        var shards = await Task.WhenAll(AllShards.Select(shard => db.SortedSetRangeByScoreWithScoresAsync(
            OpenKeyOfShard(state, shard), double.NegativeInfinity, dueBy.ToUnixTimeMilliseconds(), take: limit)));
        return shards.SelectMany(entries => entries).OrderBy(e => e.Score).Take(limit).Select(e => (string)e.Element!).ToList();
    }

    public Task ForgetOpenAsync(string messageId)
    {
        var db = redis.GetDatabase();
        return Task.WhenAll(OpenMessages.States.Select(state => db.SortedSetRemoveAsync(OpenKey(state, messageId), messageId)));
    }
}

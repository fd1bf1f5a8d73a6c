using StackExchange.Redis;

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

    private static RedisKey OpenKey(string state) => "wb:open:" + state;

    public async Task<bool> SettleAsync(SendStatus settled, SendStatus seen)
    {
        if (!settled.IsFinished) throw new ArgumentException("only a final state settles a message", nameof(settled));
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(Settle, new
        {
            key = MessageKey(settled.MessageId),
            id = settled.MessageId,
            openAccepted = OpenKey(SendStates.Accepted),
            openDeferred = OpenKey(SendStates.Deferred),
            openSending = OpenKey(SendStates.Sending),
            seen = seen.State,
            seenIndex = OpenKey(seen.State),
            seenDue = OpenMessages.DueMs(seen),
            doc = Serialize(SendClaims.ForSave(settled)),
            state = settled.State,
            retention = Retention,
        }) == 1;
    }

    public async Task<IReadOnlyList<string>> ListOpenAsync(string state, DateTimeOffset dueBy, int limit)
    {
        var ids = await redis.GetDatabase().SortedSetRangeByScoreAsync(OpenKey(state), double.NegativeInfinity,
            dueBy.ToUnixTimeMilliseconds(), take: limit);
        return ids.Select(id => (string)id!).ToList();
    }

    public Task ForgetOpenAsync(string messageId)
    {
        var db = redis.GetDatabase();
        return Task.WhenAll(OpenMessages.States.Select(state => db.SortedSetRemoveAsync(OpenKey(state), messageId)));
    }
}

using System.Text.Json;
using StackExchange.Redis;

namespace WecomBridge.Sending.Status;

/// <summary>
/// One hash per message (`wb:msg:{id}`: doc = the status JSON, state, lease = Redis time in ms) kept for
/// <c>retention</c>; idempotency keys as `wb:idem:{key}` → "messageId|hash". The claim runs in Lua on Redis's
/// clock, so a lease means the same on every instance. Every write keeps the index of unfinished messages in the
/// same script (`wb:open:{state}`: sorted sets of ids scored by due time in ms, <see cref="OpenMessages"/>).
/// </summary>
internal sealed partial class RedisSendStatusStore(IConnectionMultiplexer redis, TimeSpan retention) : ISendStatusStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly LuaScript Claim = LuaScript.Prepare(Reindex + """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HGET', @key, 'state')
        if not state then
          redis.call('HSET', @key, 'doc', @missing, 'state', 'accepted')
          redis.call('PEXPIRE', @key, @retention)
          state = 'accepted'
        end
        local doc = redis.call('HGET', @key, 'doc')
        if state == 'sent' or state == 'failed' or state == 'ambiguous' or state == 'dropped' then return {'finished', doc, state, 0, now} end
        if state == 'sending' then
          local lease = tonumber(redis.call('HGET', @key, 'lease') or '0')
          if lease > now then return {'inflight', doc, state, lease, now} end
          if @retake ~= '1' then return {'abandoned', doc, state, lease, now} end
          redis.call('HSET', @key, 'lease', now + tonumber(@lease))
          reindex('sending', now + tonumber(@lease))
          return {'retaken', doc, 'sending', now + tonumber(@lease), now}
        end
        redis.call('HSET', @key, 'state', 'sending', 'lease', now + tonumber(@lease))
        reindex('sending', now + tonumber(@lease))
        return {'claimed', doc, 'sending', now + tonumber(@lease), now}
        """);

    private static readonly LuaScript SaveIf = LuaScript.Prepare(Reindex + """
        if redis.call('HGET', @key, 'state') ~= @expected then return 0 end
        redis.call('HSET', @key, 'doc', @doc, 'state', @state)
        redis.call('HDEL', @key, 'lease')
        redis.call('PEXPIRE', @key, @retention)
        reindex(@state, @due)
        return 1
        """);

    private static RedisKey MessageKey(string id) => "wb:msg:" + id;
    private static RedisKey IdempotencyKey(string key) => "wb:idem:" + key;

    public async Task<AcceptResult> AcceptAsync(SendStatus status, string? idempotencyKey, string requestHash, TimeSpan keyLifetime)
    {
        var db = redis.GetDatabase();
        if (idempotencyKey is not null)
        {
            var mine = $"{status.MessageId}|{requestHash}";
            if (!await db.StringSetAsync(IdempotencyKey(idempotencyKey), mine, keyLifetime, When.NotExists))
            {
                var first = (string?)await db.StringGetAsync(IdempotencyKey(idempotencyKey)) ?? mine;
                var bar = first.LastIndexOf('|');
                var firstId = first[..bar];
                // The first request may have died between the key and its status: store it now under the first id.
                if (await db.HashSetAsync(MessageKey(firstId), "doc", Serialize(status with { MessageId = firstId }), When.NotExists))
                    await db.SortedSetAddAsync(OpenKey(status.State), firstId, OpenMessages.DueMs(status), SortedSetWhen.NotExists);
                await db.HashSetAsync(MessageKey(firstId), "state", status.State, When.NotExists);
                await db.KeyExpireAsync(MessageKey(firstId), retention, ExpireWhen.HasNoExpiry);
                return new AcceptResult(firstId, false, first[(bar + 1)..] == requestHash);
            }
        }
        await SaveAsync(status);
        return new AcceptResult(status.MessageId, true, true);
    }

    public async Task<SendStatus?> GetAsync(string messageId)
    {
        var fields = await redis.GetDatabase().HashGetAsync(MessageKey(messageId), ["doc", "state", "lease"]);
        if (fields[0].IsNull) return null;
        var status = Deserialize(fields[0]!);
        return status with
        {
            State = (string?)fields[1] ?? status.State,
            LeaseUntil = fields[2].IsNull ? status.LeaseUntil : DateTimeOffset.FromUnixTimeMilliseconds((long)fields[2]),
        };
    }

    public async Task<ClaimResult> ClaimAsync(string messageId, SendStatus ifMissing, DateTimeOffset now, TimeSpan lease, bool retakeAbandoned)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Claim, new
        {
            key = MessageKey(messageId),
            id = messageId,
            openAccepted = OpenKey(SendStates.Accepted),
            openDeferred = OpenKey(SendStates.Deferred),
            openSending = OpenKey(SendStates.Sending),
            missing = Serialize(ifMissing),
            retention = (long)retention.TotalMilliseconds,
            lease = (long)lease.TotalMilliseconds,
            retake = retakeAbandoned ? "1" : "0",
        }))!;
        var outcome = (string)result[0]! switch
        {
            "finished" => ClaimOutcome.Finished,
            "inflight" => ClaimOutcome.InFlight,
            "abandoned" => ClaimOutcome.Abandoned,
            "retaken" => ClaimOutcome.Retaken,
            _ => ClaimOutcome.Claimed,
        };
        var leaseMs = (long)result[3];
        var status = Deserialize((string)result[1]!) with
        {
            State = (string)result[2]!,
            LeaseUntil = leaseMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(leaseMs) : null,
        };
        return new ClaimResult(outcome, status);
    }

    public Task SaveAsync(SendStatus status)
    {
        status = SendClaims.ForSave(status);
        var db = redis.GetDatabase();
        var key = MessageKey(status.MessageId);
        var batch = db.CreateBatch();
        var set = batch.HashSetAsync(key, [new("doc", Serialize(status)), new("state", status.State)]);
        var lease = status.LeaseUntil is { } until
            ? batch.HashSetAsync(key, "lease", until.ToUnixTimeMilliseconds())
            : batch.HashDeleteAsync(key, "lease");
        var expire = batch.KeyExpireAsync(key, retention);
        var index = ReindexInBatch(batch, status);
        batch.Execute();
        return Task.WhenAll(set, lease, expire, index);
    }

    public async Task<bool> SaveIfAsync(SendStatus status, string expectedState)
    {
        if (status.State == SendStates.Sending) throw new ArgumentException("a lease is taken by ClaimAsync", nameof(status));
        status = SendClaims.ForSave(status);
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(SaveIf, new
        {
            key = MessageKey(status.MessageId),
            id = status.MessageId,
            openAccepted = OpenKey(SendStates.Accepted),
            openDeferred = OpenKey(SendStates.Deferred),
            openSending = OpenKey(SendStates.Sending),
            expected = expectedState,
            doc = Serialize(status),
            state = status.State,
            due = OpenMessages.DueMs(status),
            retention = (long)retention.TotalMilliseconds,
        }) == 1;
    }

    private static string Serialize(SendStatus status) => JsonSerializer.Serialize(status, Json);
    private static SendStatus Deserialize(string json) => JsonSerializer.Deserialize<SendStatus>(json, Json)!;
}

using System.Text.Json;
using StackExchange.Redis;
using WecomBridge.Storage;

namespace WecomBridge.Sending.Status;

/// <summary>
/// One hash per message (`wb:msg:{mNN}:{id}`: doc = the status JSON, state, lease = Redis time in ms, owner = the
/// claim's token, called = FirstCallAt and requeue = a repeat's hold, both in ms of the instances' clocks) kept for
/// <c>retention</c>; idempotency keys as `wb:idem:{key}` → "messageId|hash". Every step that reads and writes runs in
/// Lua (<see cref="RedisSendScripts"/>); the lease is on Redis's clock, so it means the same on every instance.
/// Every write keeps the index of unfinished messages in the same script (`wb:open:{mNN}:{state}`: sorted sets of ids
/// scored by due time in ms, <see cref="OpenMessages"/>). "{mNN}" is the message's shard (<see cref="Shards"/> of them,
/// by its id): the hash tag that keeps a message and its shard's index in one cluster slot and spreads the shards
/// over the masters.
/// </summary>
internal sealed partial class RedisSendStatusStore(IConnectionMultiplexer redis, TimeSpan retention) : ISendStatusStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Shards of the open index: enough to spread over the masters, few enough for the sweeper to read them all.</summary>
    internal const int Shards = 64;

    internal static string ShardOf(string messageId) => RedisSlots.Shard("m", messageId, Shards);

    internal static RedisKey MessageKey(string id) => $"wb:msg:{ShardOf(id)}:{id}";
    private static RedisKey IdempotencyKey(string key) => "wb:idem:" + key;
    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    private static long Ms(TimeSpan? t) => t is { } span ? (long)span.TotalMilliseconds : -1;
    private long Retention => (long)retention.TotalMilliseconds;

    public async Task<AcceptResult> AcceptAsync(SendStatus status, string? idempotencyKey, string requestHash, TimeSpan keyLifetime,
        TimeSpan requeueHold = default)
    {
        if (idempotencyKey is null)
        {
            await SaveAsync(status);
            return new AcceptResult(status.MessageId, true, true);
        }
        var db = redis.GetDatabase();
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(RedisSendScripts.FirstOfKey, new
        {
            idem = IdempotencyKey(idempotencyKey),
            mine = $"{status.MessageId}|{requestHash}",
            life = (long)keyLifetime.TotalMilliseconds,
        }))!;
        var first = (string)result[1]!;
        var bar = first.LastIndexOf('|');
        if ((string)result[0]! == "repeat") return new AcceptResult(first[..bar], false, first[(bar + 1)..] == requestHash);
        var created = (int)await db.ScriptEvaluateAsync(RedisSendScripts.Create, new
        {
            key = MessageKey(status.MessageId),
            id = status.MessageId,
            openAccepted = OpenKey(SendStates.Accepted, status.MessageId),
            openDeferred = OpenKey(SendStates.Deferred, status.MessageId),
            openSending = OpenKey(SendStates.Sending, status.MessageId),
            doc = Serialize(status),
            requeue = Ms(status.UpdatedAt + requeueHold),
            due = OpenMessages.DueMs(status),
            retention = Retention,
        }) == 1;
        return new AcceptResult(status.MessageId, created, true);
    }

    public async Task<bool> TakeRequeueAsync(SendStatus status, string expectedState, TimeSpan hold) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(RedisSendScripts.TakeRequeue, new
        {
            key = MessageKey(status.MessageId),
            id = status.MessageId,
            openAccepted = OpenKey(SendStates.Accepted, status.MessageId),
            openDeferred = OpenKey(SendStates.Deferred, status.MessageId),
            openSending = OpenKey(SendStates.Sending, status.MessageId),
            expected = expectedState,
            doc = Serialize(SendClaims.ForSave(status)),
            state = status.State,
            due = OpenMessages.DueMs(status),
            now = Ms(status.UpdatedAt),
            requeue = Ms(status.UpdatedAt + hold),
            retention = Retention,
        }) == 1;

    public async Task<SendStatus?> GetAsync(string messageId)
    {
        var fields = await redis.GetDatabase().HashGetAsync(MessageKey(messageId), ["doc", "state", "lease", "owner", "called"]);
        if (fields[0].IsNull) return null;
        return Overlay(Deserialize(fields[0]!), (string?)fields[1], fields[2].IsNull ? 0 : (long)fields[2], fields[3], fields[4]);
    }

    public async Task<ClaimResult> ClaimAsync(string messageId, SendStatus ifMissing, DateTimeOffset now, TimeSpan lease, TimeSpan? repeatWindow)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(RedisSendScripts.Claim, new
        {
            key = MessageKey(messageId),
            id = messageId,
            openAccepted = OpenKey(SendStates.Accepted, messageId),
            openDeferred = OpenKey(SendStates.Deferred, messageId),
            openSending = OpenKey(SendStates.Sending, messageId),
            missing = Serialize(ifMissing),
            retention = Retention,
            lease = (long)lease.TotalMilliseconds,
            owner = SendClaims.NewOwner(),
            now = Ms(now),
            window = Ms(repeatWindow),
        }))!;
        var outcome = (string)result[0]! switch
        {
            "finished" => ClaimOutcome.Finished,
            "inflight" => ClaimOutcome.InFlight,
            "abandoned" => ClaimOutcome.Abandoned,
            "retaken" => ClaimOutcome.Retaken,
            _ => ClaimOutcome.Claimed,
        };
        var status = Overlay(Deserialize((string)result[1]!), (string)result[2]!, (long)result[3], result[4], result[5]);
        return new ClaimResult(outcome, status);
    }

    public async Task<CallMark> MarkCallAsync(string messageId, string owner, DateTimeOffset now, TimeSpan? repeatWindow)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(RedisSendScripts.MarkCall, new
        {
            key = MessageKey(messageId),
            owner,
            now = Ms(now),
            window = Ms(repeatWindow),
        }))!;
        var outcome = (string)result[0]! switch
        {
            "first" => CallMarkOutcome.First,
            "repeat" => CallMarkOutcome.Repeat,
            "passed" => CallMarkOutcome.WindowPassed,
            _ => CallMarkOutcome.NotOwner,
        };
        var first = (long)result[1];
        return new CallMark(outcome, first > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(first) : null);
    }

    public async Task<bool> SaveAsync(SendStatus status)
    {
        var owner = status.Owner ?? ""; // the claim it saves under (the stored status keeps no owner unless sending)
        status = SendClaims.ForSave(status);
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(RedisSendScripts.Save, new
        {
            key = MessageKey(status.MessageId),
            id = status.MessageId,
            openAccepted = OpenKey(SendStates.Accepted, status.MessageId),
            openDeferred = OpenKey(SendStates.Deferred, status.MessageId),
            openSending = OpenKey(SendStates.Sending, status.MessageId),
            owner,
            doc = Serialize(status),
            state = status.State,
            due = OpenMessages.DueMs(status),
            lease = status.LeaseUntil is { } until ? Ms(until) : 0,
            called = status.FirstCallAt is { } first ? Ms(first) : 0,
            retention = Retention,
        }) == 1;
    }

    public async Task<bool> SaveIfAsync(SendStatus status, string expectedState)
    {
        if (status.State == SendStates.Sending) throw new ArgumentException("a lease is taken by ClaimAsync", nameof(status));
        status = SendClaims.ForSave(status);
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(RedisSendScripts.SaveIf, new
        {
            key = MessageKey(status.MessageId),
            id = status.MessageId,
            openAccepted = OpenKey(SendStates.Accepted, status.MessageId),
            openDeferred = OpenKey(SendStates.Deferred, status.MessageId),
            openSending = OpenKey(SendStates.Sending, status.MessageId),
            expected = expectedState,
            doc = Serialize(status),
            state = status.State,
            due = OpenMessages.DueMs(status),
            retention = Retention,
        }) == 1;
    }

    private static SendStatus Overlay(SendStatus doc, string? state, long leaseMs, RedisValue owner, RedisValue called) => doc with
    {
        State = state ?? doc.State,
        LeaseUntil = leaseMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(leaseMs) : null,
        Owner = owner.IsNullOrEmpty ? null : (string?)owner,
        FirstCallAt = called.IsNullOrEmpty ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)called),
    };

    private static SendStatus Overlay(SendStatus doc, string state, long leaseMs, RedisResult owner, RedisResult called) =>
        Overlay(doc, state, leaseMs, (RedisValue)owner, (RedisValue)called);

    private static string Serialize(SendStatus status) => JsonSerializer.Serialize(status, Json);
    private static SendStatus Deserialize(string json) => JsonSerializer.Deserialize<SendStatus>(json, Json)!;
}

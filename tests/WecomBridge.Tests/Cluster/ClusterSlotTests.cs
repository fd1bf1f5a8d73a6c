using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.DeadLetters;
using WecomBridge.RateLimits;
using WecomBridge.Resync;
using WecomBridge.Sending.Errors;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.Storage;

namespace WecomBridge.Tests.Cluster;

/// <summary>
/// The slot rule, checked on a real Redis Cluster: each store's operations run through a connection that records every
/// command naming more than one key, and all keys of each such command hash to one slot (by our CRC16 and by the
/// client's). The cluster itself refuses any that does not (CROSSSLOT), so the operations succeeding proves it too.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterSlotTests(RedisCluster cluster)
{
    private readonly List<(string Command, RedisKey[] Keys)> _calls = [];
    private readonly string _corp = "c" + Guid.NewGuid().ToString("N")[..10];

    private IConnectionMultiplexer Redis => RecordingRedis.Wrap(cluster.Connection, _calls);

    private void AssertOneSlotEach(int atLeast)
    {
        Assert.True(_calls.Count >= atLeast, $"{_calls.Count} multi-key commands recorded, {atLeast} expected");
        foreach (var (command, keys) in _calls)
        {
            Assert.Single(keys.Select(k => RedisSlots.Slot(k!)).Distinct());
            Assert.Equal(keys.Select(k => cluster.Connection.HashSlot(k)).Distinct(), [RedisSlots.Slot(keys[0]!)]);
            Assert.False(string.IsNullOrEmpty(command));
        }
    }

    [Fact]
    public async Task Send_status_scripts_keep_a_message_and_its_shards_open_index_in_one_slot()
    {
        var store = new RedisSendStatusStore(Redis, TimeSpan.FromMinutes(5));
        var now = DateTimeOffset.UtcNow;
        var status = new SendStatus(Guid.CreateVersion7().ToString("N"), SendKinds.Template, null, null, "brand", "crm",
            SendStates.Accepted, now, now);
        var key = "crm:" + Guid.NewGuid().ToString("N");

        Assert.True((await store.AcceptAsync(status, key, "h", TimeSpan.FromMinutes(1))).Created);
        Assert.Equal(status.MessageId, (await store.AcceptAsync(status with { MessageId = "other" }, key, "h", TimeSpan.FromMinutes(1))).MessageId);
        var claim = await store.ClaimAsync(status.MessageId, status, now, TimeSpan.FromMinutes(1), null);
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal(CallMarkOutcome.First, (await store.MarkCallAsync(status.MessageId, claim.Status.Owner!, now, null)).Outcome);
        Assert.True(await store.SaveAsync(claim.Status with { State = SendStates.Deferred, DeferredUntil = now.AddMinutes(1) }));
        Assert.Contains(status.MessageId, await store.ListOpenAsync(SendStates.Deferred, now.AddMinutes(2), 1000));
        var deferred = (await store.GetAsync(status.MessageId))!;
        Assert.True(await store.SaveIfAsync(deferred with { State = SendStates.Accepted }, SendStates.Deferred));
        Assert.True(await store.TakeRequeueAsync(deferred with { State = SendStates.Accepted }, SendStates.Accepted, TimeSpan.Zero));
        var seen = (await store.GetAsync(status.MessageId))!;
        Assert.True(await store.SettleAsync(seen with { State = SendStates.Failed, Reason = "test" }, seen));
        await store.ForgetOpenAsync(status.MessageId);
        AssertOneSlotEach(atLeast: 6);
    }

    [Fact]
    public async Task Dead_letter_scripts_and_reads_keep_one_slot()
    {
        var store = new RedisDeadLetterStore(Redis, Options.Create(new DeadLetterOptions { KeyPrefix = $"test:dls:{Guid.NewGuid():N}:" }));
        var body = Encoding.UTF8.GetBytes("{}");
        var letter = new DeadLetter(DeadLetter.StableId("q.a_error", null, null, body), "q.a", "T", null, null, "application/json",
            "E", "m", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, new Dictionary<string, JsonElement>(), body);

        Assert.Equal(StoreResult.Added, await store.AddAsync(letter));
        Assert.Equal([("q.a", 1L)], await store.QueuesAsync());
        Assert.Single(await store.ListAsync("q.a", 0, 10));
        Assert.Equal((1L, 2L), await store.SizeAsync());
        Assert.True(await store.TryLeaseAsync(letter.Id, "me", TimeSpan.FromMinutes(1)));
        await store.ReleaseAsync(letter.Id, "me");
        Assert.True(await store.DeleteAsync(letter.Id));
        Assert.False(await store.DeleteAsync(letter.Id));
        Assert.Equal((0L, 0L), await store.SizeAsync());
        AssertOneSlotEach(atLeast: 4);
    }

    [Fact]
    public async Task Suppression_scripts_keep_the_entries_and_their_tombstones_in_one_slot()
    {
        var list = new RedisSuppressionList(Redis);
        var scope = "wecom:" + _corp;
        var at = DateTimeOffset.UtcNow;
        Assert.True(await list.AddAsync(scope, "zhangsan/wmA", "opt-out", at));
        Assert.Equal(["zhangsan/wmA"], await list.FindManyAsync(scope, ["zhangsan/wmA", "zhangsan/wmB"]));
        Assert.True(await list.RemoveAsync(scope, "zhangsan/wmA", at.AddSeconds(1)));
        Assert.False(await list.AddAsync(scope, "zhangsan/wmA", "late", at));
        AssertOneSlotEach(atLeast: 3);
    }

    [Fact]
    public async Task A_sends_buckets_and_a_departure_keep_one_slot_per_corp()
    {
        var limiter = new RedisRateLimiter(Redis);
        var api = RateBucket.Paced($"wecom:{_corp}:externalcontact/add_msg_template", new RateLimit(100, TimeSpan.FromSeconds(1)), 0.1);
        var sender = RateBucket.Counted($"wecom:{_corp}:sender:zhangsan", new RateLimit(10, TimeSpan.FromDays(1)));
        var member = RateBucket.Counted($"wecom:{_corp}:member:lisi", new RateLimit(10, TimeSpan.FromMinutes(1)));

        Assert.True((await limiter.ReserveAsync([api, sender, member], TimeSpan.FromMinutes(1))).Granted);
        await limiter.DepartAsync(api, TimeSpan.Zero);
        var caps = new RedisCapStore(Redis);
        Assert.Empty(await caps.TakeAsync(_corp, "2026-12", 4, DateTimeOffset.UtcNow.AddDays(1), "m1", ["wmA", "wmB", "wmC"]));
        await caps.GiveBackAsync(_corp, "2026-12", "m1", ["wmA", "wmB", "wmC"]);
        AssertOneSlotEach(atLeast: 3);
    }

    [Fact]
    public async Task Resync_and_pause_scripts_name_their_keys()
    {
        var resync = new RedisResyncStore(Redis, Options.Create(new ResyncOptions()));
        var run = new ResyncProgress(Guid.NewGuid().ToString("N"), "tags", _corp, null, ResyncProgress.Running, 0, 0, DateTimeOffset.UtcNow,
            null, null);
        Assert.Null(await resync.TryStartAsync(run));
        await resync.SaveAsync(run with { Pages = 1 });
        await resync.FinishAsync(run with { State = ResyncProgress.Completed });
        Assert.Equal(ResyncProgress.Completed, (await resync.GetAsync(run.Id))!.State);

        var pauses = new RedisSendPauseStore(Redis);
        var scope = $"wecom:{_corp}:externalcontact/add_msg_template";
        var proposal = new SendPause(scope, PauseCauses.Throttled, _corp, null, null, "externalcontact/add_msg_template", 45009, "e", "wait");
        var rule = new ThrottleRule(TimeSpan.FromSeconds(60), 2, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.Zero, null);
        await pauses.ThrottleAsync(proposal, rule, DateTimeOffset.UtcNow);
        Assert.NotNull((await pauses.FindAsync(scope, [scope])).Throttle);
        Assert.Contains(await pauses.AllAsync(), p => p.Scope == scope);
        AssertOneSlotEach(atLeast: 0); // every script of these names one key: any multi-key command among them shares a slot
    }

    [Fact]
    public async Task The_send_error_history_keeps_a_corps_keys_in_one_slot()
    {
        var store = new RedisSendErrorStore(Redis);
        var scope = "wecom:" + _corp;
        var limits = new SendErrorLimits(TimeSpan.FromHours(1), 3, 5);
        var now = DateTimeOffset.UtcNow;
        var entry = new SendErrorEntry("m1", "customer-task", _corp, null, null, now, "refused: errcode 40096", null);
        await store.RecordAsync(new SendError(scope, SendStates.Failed, 40096, entry), limits);
        await store.RecordAsync(new SendError(scope, SendStates.Ambiguous, null, entry with { MessageId = "m2" }), limits);
        Assert.Equal(2, (await store.ReadAsync(scope, now, TimeSpan.FromHours(1), limits)).Count);
        Assert.Equal("m2", Assert.Single(await store.AmbiguousAsync(scope, now, 10, limits)).MessageId);
        AssertOneSlotEach(atLeast: 3);
    }

    [Fact]
    public void Message_shards_and_corps_spread_over_every_master()
    {
        var masters = cluster.Connection.GetServers().Where(s => !s.IsReplica).ToList();
        Assert.Equal(3, masters.Count);
        var config = masters[0].ClusterConfiguration!;

        var shards = Enumerable.Range(0, 1000).Select(i => RedisSendStatusStore.MessageKey(Guid.CreateVersion7().ToString("N")).ToString())
            .GroupBy(k => config.GetBySlot(RedisSlots.Slot(k))!.EndPoint).ToList();
        var corps = Enumerable.Range(0, 300).Select(i => RedisRateLimiter.Key($"wecom:corp{i}:x", "next").ToString())
            .GroupBy(k => config.GetBySlot(RedisSlots.Slot(k))!.EndPoint).ToList();

        Assert.Equal(3, shards.Count);
        Assert.All(shards, master => Assert.InRange(master.Count(), 150, 600));
        Assert.Equal(3, corps.Count);
        Assert.All(corps, master => Assert.InRange(master.Count(), 50, 150));
    }
}

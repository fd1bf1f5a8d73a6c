using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Suppression;

/// <summary>
/// Tombstones (the time of a recipient's last remove) are kept for the retention only, on a fake clock: within it an
/// older add that arrives late is ignored; after it the tombstone is gone (nothing grows forever) and such an add
/// suppresses again, the safe side.
/// </summary>
public class TombstoneTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    [Fact]
    public async Task In_memory_a_tombstone_is_dropped_after_the_retention()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var list = new InMemorySuppressionList(time, Retention);
        var removedAt = time.GetUtcNow();
        await list.AddAsync("wecom:acme", "zhangsan/wmAlice", "customer-deleted-employee", removedAt.AddMinutes(-1));
        await list.RemoveAsync("wecom:acme", "zhangsan/wmAlice", removedAt);

        time.Advance(Retention - TimeSpan.FromMinutes(1));
        Assert.False(await list.AddAsync("wecom:acme", "zhangsan/wmAlice", "late", removedAt.AddSeconds(-1))); // older: ignored
        Assert.Equal(1, list.Tombstones);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await list.AddAsync("wecom:acme", "zhangsan/wmAlice", "late", removedAt.AddSeconds(-1)));
        Assert.Equal(0, list.Tombstones);
    }

    [Fact]
    public async Task On_Redis_each_change_drops_the_scopes_tombstones_older_than_the_retention()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var list = new RedisSuppressionList(redis, time, Retention);
        var scope = "test:" + Guid.NewGuid().ToString("N");
        var tombstones = (RedisKey)RedisSuppressionList.RemovedKey(scope);
        var removedAt = time.GetUtcNow();
        for (var i = 0; i < 5; i++) await list.RemoveAsync(scope, $"zhangsan/wm{i}", removedAt);
        Assert.Equal(5, await redis.GetDatabase().SortedSetLengthAsync(tombstones));

        time.Advance(Retention - TimeSpan.FromMinutes(1));
        Assert.False(await list.AddAsync(scope, "zhangsan/wm0", "late", removedAt.AddSeconds(-1)));
        Assert.Equal(5, await redis.GetDatabase().SortedSetLengthAsync(tombstones));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await list.AddAsync(scope, "zhangsan/wm0", "late", removedAt.AddSeconds(-1)));
        Assert.Equal(0, await redis.GetDatabase().SortedSetLengthAsync(tombstones));
        await redis.GetDatabase().KeyDeleteAsync([RedisSuppressionList.Key(scope), tombstones]); // one slot: one DEL
    }
}

using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.RateLimits;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.RateLimits;

/// <summary>Calls in progress per corp+API are bounded across instances; a dead holder's slot frees when its lease ends.</summary>
public class ConcurrencySlotsTests
{
    [Fact]
    public async Task Three_instances_never_hold_more_slots_than_the_limit_together()
    {
        var bucket = $"wecom:slots{Guid.NewGuid():N}:externalcontact/add_msg_template";
        var instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ConnectionMultiplexer.ConnectAsync(TestServers.Redis)));
        var held = 0;
        var most = 0;
        var entered = 0;
        try
        {
            await Task.WhenAll(instances.SelectMany(redis =>
            {
                var slots = new RedisConcurrencySlots(redis);
                return Enumerable.Range(0, 5).Select(async _ =>
                {
                    for (var i = 0; i < 6; i++)
                    {
                        await using var slot = await slots.EnterAsync(bucket, 2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30),
                            TimeProvider.System, CancellationToken.None);
                        Assert.NotNull(slot);
                        var now = Interlocked.Increment(ref held);
                        lock (instances) most = Math.Max(most, now);
                        Interlocked.Increment(ref entered);
                        await Task.Yield();
                        Interlocked.Decrement(ref held);
                    }
                });
            }));
        }
        finally
        {
            foreach (var redis in instances) redis.Dispose();
        }

        Assert.Equal(90, entered);
        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task A_slot_of_an_instance_that_died_frees_when_its_lease_ends()
    {
        var bucket = $"wecom:slots{Guid.NewGuid():N}:message/send";
        using (var dying = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis))
        {
            var slots = new RedisConcurrencySlots(dying);
            Assert.True(await slots.TryEnterAsync(bucket, 1, "dead-holder", TimeSpan.FromMilliseconds(500)));
        } // gone without leaving
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var survivor = new RedisConcurrencySlots(redis);

        Assert.False(await survivor.TryEnterAsync(bucket, 1, "survivor", TimeSpan.FromSeconds(30)));
        await Eventually.True(() => survivor.TryEnterAsync(bucket, 1, "survivor", TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(10),
            "the dead holder's lease to end");
        await survivor.LeaveAsync(bucket, "survivor");
        Assert.True(await survivor.TryEnterAsync(bucket, 1, "next", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task In_memory_slots_are_bounded_freed_on_leave_and_when_a_lease_ends()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        var slots = new InMemoryConcurrencySlots(time);

        Assert.True(await slots.TryEnterAsync("b", 2, "a", TimeSpan.FromSeconds(10)));
        Assert.True(await slots.TryEnterAsync("b", 2, "b", TimeSpan.FromSeconds(20)));
        Assert.False(await slots.TryEnterAsync("b", 2, "c", TimeSpan.FromSeconds(10)));
        await slots.LeaveAsync("b", "a");
        Assert.True(await slots.TryEnterAsync("b", 2, "c", TimeSpan.FromSeconds(10)));
        Assert.False(await slots.TryEnterAsync("b", 2, "d", TimeSpan.FromSeconds(10)));
        time.Advance(TimeSpan.FromSeconds(10)); // c's lease ends (a holder that never left)
        Assert.True(await slots.TryEnterAsync("b", 2, "d", TimeSpan.FromSeconds(10)));
    }
}

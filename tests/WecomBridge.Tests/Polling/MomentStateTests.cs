using StackExchange.Redis;
using WecomBridge.Polling;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Polling;

public class MomentStateTests
{
    [Fact]
    public async Task Redis_lease_is_held_by_one_owner_at_a_time_and_renewed_by_it()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var state = new RedisMomentState(redis);
        var corp = "lease" + Guid.NewGuid().ToString("N");

        Assert.True(await state.TryLeaseAsync(corp, "a", TimeSpan.FromMinutes(1)));
        Assert.False(await state.TryLeaseAsync(corp, "b", TimeSpan.FromMinutes(1)));
        Assert.True(await state.TryLeaseAsync(corp, "a", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Redis_remembers_the_watermark_and_published_moments()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        IMomentState state = new RedisMomentState(redis);
        await AssertRemembers(state, "wm" + Guid.NewGuid().ToString("N"));
    }

    [Fact]
    public async Task In_memory_state_remembers_the_same()
    {
        await AssertRemembers(new InMemoryMomentState(), "corp");
    }

    private static async Task AssertRemembers(IMomentState state, string corp)
    {
        Assert.Null(await state.GetWatermarkAsync(corp));
        var mark = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        await state.SetWatermarkAsync(corp, mark);
        Assert.Equal(mark, await state.GetWatermarkAsync(corp));
        Assert.False(await state.IsPublishedAsync(corp, "m1"));
        await state.MarkPublishedAsync(corp, "m1");
        Assert.True(await state.IsPublishedAsync(corp, "m1"));
        Assert.False(await state.IsPublishedAsync(corp, "m2"));
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Pool;
using WecomBridge.Pool.Activity;
using WecomBridge.Tests.Infrastructure;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool.Activity;

/// <summary>The scheduled pass on a fake clock: nothing before PassInterval, then every contact's stage moves on.</summary>
public sealed class StagePassTests
{
    [Fact]
    public async Task The_pass_runs_every_interval_and_moves_contacts_on_as_time_passes()
    {
        var clock = new FakeTimeProvider(T0.AddMinutes(1));
        var stages = new StageOptions { PassInterval = TimeSpan.FromHours(1) };
        var rules = new ActivityRules(Options.Create(stages), Options.Create(new BurstGuardOptions()), clock);
        var store = new InMemoryPoolStore(rules);
        var projection = new PoolProjection(Options.Create(new PoolOptions()));
        var added = Added("wmA", "zhangsan", 0);
        await store.ApplyAsync(added.EventId, projection.Map(added)!);
        using var pass = new StagePass(store, Options.Create(stages), clock, NullLogger<StagePass>.Instance);
        await pass.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromDays(31)); // past DormantAfter: the next tick finds it
        Assert.Equal("new", (await store.GetContactAsync(Corp, "wmA"))!.Stage);
        await Eventually.True(async () =>
        {
            clock.Advance(stages.PassInterval); // a tick each time (the timer may have started after the first advance)
            return (await store.GetContactAsync(Corp, "wmA"))!.Stage == "dormant";
        }, what: "dormant after the pass");

        await pass.StopAsync(CancellationToken.None);
    }
}

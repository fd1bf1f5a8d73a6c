using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Resync;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Resync;

/// <summary>The Redis and in-memory stores keep the same promises about the single-run lock.</summary>
public sealed class ResyncStoreTests : IDisposable
{
    private readonly ConnectionMultiplexer _redis = ConnectionMultiplexer.Connect(TestServers.Redis);
    private readonly IOptions<ResyncOptions> _options = Options.Create(new ResyncOptions());

    public void Dispose() => _redis.Dispose();

    private IResyncStore Store(bool redis) =>
        redis ? new RedisResyncStore(_redis, _options) : new InMemoryResyncStore(TimeProvider.System, _options);

    private static ResyncProgress Run(string corp) =>
        new(Guid.NewGuid().ToString("N"), "tags", corp, null, ResyncProgress.Running, 0, 0, DateTimeOffset.UtcNow, null, null);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Only_the_holder_frees_the_lock_and_progress_is_readable(bool redis)
    {
        var store = Store(redis);
        var corp = "c" + Guid.NewGuid().ToString("N")[..8];
        var (first, second) = (Run(corp), Run(corp));

        Assert.Null(await store.TryStartAsync(first));
        Assert.Equal(first.Id, await store.TryStartAsync(second));
        Assert.Null(await store.GetAsync(second.Id));

        await store.SaveAsync(first with { Pages = 2, Items = 7 });
        await store.FinishAsync(second with { State = ResyncProgress.Failed }); // not the holder: lock stays
        Assert.Equal(first.Id, await store.TryStartAsync(Run(corp)));
        Assert.Equal(7, (await store.GetAsync(first.Id))!.Items);

        await store.FinishAsync(first with { State = ResyncProgress.Completed });
        Assert.Equal(ResyncProgress.Completed, (await store.GetAsync(first.Id))!.State);
        Assert.Null(await store.TryStartAsync(Run(corp)));
        Assert.Null(await store.TryStartAsync(Run(corp + "x")));
    }
}

using WecomBridge.Pool;
using WecomBridge.Pool.Segments;

namespace WecomBridge.Tests.Pool.Segments;

/// <summary>The segment contract against the embedded mode's in-memory pool.</summary>
public sealed class InMemorySegmentStoreTests : SegmentStoreContract
{
    private readonly InMemoryPoolStore _store = new();

    internal override Task<(IPoolStore Pool, ISegmentStore Segments)> CreateStoresAsync() => Task.FromResult<(IPoolStore, ISegmentStore)>((_store, _store));

    internal override Task SetActivityAsync(string ext, DateTimeOffset? lastInteractionAt, string stage, DateTimeOffset? burstFlaggedAt)
    {
        _store.SetActivity(PoolEvents.Corp, ext, lastInteractionAt, stage, burstFlaggedAt);
        return Task.CompletedTask;
    }
}

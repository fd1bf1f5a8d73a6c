using System.Collections.Concurrent;

namespace WecomBridge.Callbacks.Dedupe;

/// <summary>Embedded mode: one process, keys expire lazily and are swept as they are touched.</summary>
internal sealed class InMemoryCallbackDedupe(TimeProvider time) : ICallbackDedupe
{
    private readonly ConcurrentDictionary<string, Entry> _keys = new();
    private readonly Lock _gate = new();
    private long _claims;

    private sealed record Entry(bool Done, DateTimeOffset Expires);

    public Task<DedupeState> TryClaimAsync(string key, TimeSpan inFlightTtl)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (++_claims % 4096 == 0) Sweep(now);
            if (_keys.TryGetValue(key, out var entry) && entry.Expires > now)
                return Task.FromResult(entry.Done ? DedupeState.Done : DedupeState.InFlight);
            _keys[key] = new Entry(false, now + inFlightTtl);
            return Task.FromResult(DedupeState.Claimed);
        }
    }

    public Task MarkDoneAsync(string key, TimeSpan doneTtl)
    {
        _keys[key] = new Entry(true, time.GetUtcNow() + doneTtl);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue(key, out var entry) && !entry.Done) _keys.TryRemove(key, out _);
        }
        return Task.CompletedTask;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _keys)
            if (entry.Expires <= now) _keys.TryRemove(key, out _);
    }
}

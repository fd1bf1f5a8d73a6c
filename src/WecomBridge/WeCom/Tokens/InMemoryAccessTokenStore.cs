namespace WecomBridge.WeCom.Tokens;

/// <summary>Embedded mode: one process, so the lock only has to hold within it.</summary>
internal sealed class InMemoryAccessTokenStore(TimeProvider time) : IAccessTokenStore
{
    private readonly Dictionary<string, (CachedToken Token, DateTimeOffset Until)> _tokens = [];
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _locks = [];
    private readonly Lock _gate = new();

    public Task<CachedToken?> GetAsync(string key)
    {
        lock (_gate)
            return Task.FromResult(_tokens.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow() ? entry.Token : null);
    }

    public Task SetAsync(string key, CachedToken token, TimeSpan ttl)
    {
        lock (_gate) _tokens[key] = (token, time.GetUtcNow() + ttl);
        return Task.CompletedTask;
    }

    public Task InvalidateAsync(string key, string staleValue)
    {
        lock (_gate)
            if (_tokens.TryGetValue(key, out var entry) && entry.Token.Value == staleValue) _tokens.Remove(key);
        return Task.CompletedTask;
    }

    public Task<bool> TryLockAsync(string key, string owner, TimeSpan ttl)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_locks.TryGetValue(key, out var held) && held.Until > now) return Task.FromResult(false);
            _locks[key] = (owner, now + ttl);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(string key, string owner)
    {
        lock (_gate)
            if (_locks.TryGetValue(key, out var held) && held.Owner == owner) _locks.Remove(key);
        return Task.CompletedTask;
    }
}

namespace WecomBridge.RateLimits;

/// <summary>Embedded mode: the same leased slots as <see cref="RedisConcurrencySlots"/>, for one process.</summary>
internal sealed class InMemoryConcurrencySlots(TimeProvider time) : IConcurrencySlots
{
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _holders = new();
    private readonly Lock _gate = new();

    public Task<bool> TryEnterAsync(string bucket, int limit, string holder, TimeSpan lease)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_holders.TryGetValue(bucket, out var held)) _holders[bucket] = held = new Dictionary<string, DateTimeOffset>();
            foreach (var expired in held.Where(h => h.Value <= now).Select(h => h.Key).ToList()) held.Remove(expired);
            if (held.Count >= limit) return Task.FromResult(false);
            held[holder] = now + lease;
            return Task.FromResult(true);
        }
    }

    public Task LeaveAsync(string bucket, string holder)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(bucket, out var held)) held.Remove(holder);
        }
        return Task.CompletedTask;
    }
}

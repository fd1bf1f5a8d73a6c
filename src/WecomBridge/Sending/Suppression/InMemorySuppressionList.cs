namespace WecomBridge.Sending.Suppression;

/// <summary>
/// Entries and tombstones (the time of the last remove; dropped after <paramref name="retention"/>) under one lock:
/// the same rules as the Redis scripts.
/// </summary>
internal sealed class InMemorySuppressionList(TimeProvider? time = null, TimeSpan? retention = null) : ISuppressionList
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _retention = retention ?? TimeSpan.FromDays(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), Suppression> _entries = [];
    private readonly Dictionary<(string, string), DateTimeOffset> _removed = [];

    public Task<bool> AddAsync(string scope, string recipient, string reason, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (IsStale((scope, recipient), at)) return Task.FromResult(false);
            _entries[(scope, recipient)] = new Suppression(reason, at);
            _removed.Remove((scope, recipient));
            return Task.FromResult(true);
        }
    }

    public Task<bool> RemoveAsync(string scope, string recipient, DateTimeOffset at, string? onlyReason = null)
    {
        lock (_gate)
        {
            var key = (scope, recipient);
            if (IsStale(key, at)) return Task.FromResult(false);
            var found = _entries.TryGetValue(key, out var entry);
            if (found && onlyReason is not null && entry!.Reason != onlyReason) return Task.FromResult(false);
            _entries.Remove(key);
            _removed[key] = at;
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlySet<string>> FindManyAsync(string scope, IReadOnlyList<string> recipients)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlySet<string>>(recipients.Where(r => _entries.ContainsKey((scope, r))).ToHashSet(StringComparer.Ordinal));
    }

    public Task<Suppression?> FindAsync(string scope, string recipient)
    {
        lock (_gate) return Task.FromResult(_entries.GetValueOrDefault((scope, recipient)));
    }

    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>The tombstones kept.</summary>
    public int Tombstones
    {
        get { lock (_gate) return _removed.Count; }
    }

    /// <summary>Older than the last change applied (the entry's time, or the last remove's); drops expired tombstones first.</summary>
    private bool IsStale((string, string) key, DateTimeOffset at)
    {
        var now = _time.GetUtcNow();
        if (now >= _nextPrune) // at most once a minute: the scan is over every tombstone
        {
            foreach (var old in _removed.Where(r => r.Value < now - _retention).Select(r => r.Key).ToList()) _removed.Remove(old);
            _nextPrune = now + TimeSpan.FromMinutes(1);
        }
        return _entries.TryGetValue(key, out var entry) && at < entry.At || _removed.TryGetValue(key, out var removed) && at < removed;
    }
}

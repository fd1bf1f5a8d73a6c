namespace WecomBridge.Dispatch;

/// <summary>Embedded mode: counters in one process (old periods are never read again: keys carry the period).</summary>
internal sealed class InMemoryCapStore : ICapStore
{
    private readonly Dictionary<string, int> _counts = new();
    private readonly Lock _gate = new();

    public Task<bool> TryTakeAsync(string corp, string recipient, string period, int limit, DateTimeOffset periodEnds)
    {
        lock (_gate)
        {
            var key = $"{corp}:{period}:{recipient}";
            var count = _counts.GetValueOrDefault(key);
            if (count >= limit) return Task.FromResult(false);
            _counts[key] = count + 1;
            return Task.FromResult(true);
        }
    }

    public Task GiveBackAsync(string corp, string recipient, string period)
    {
        lock (_gate)
        {
            var key = $"{corp}:{period}:{recipient}";
            if (_counts.GetValueOrDefault(key) > 0) _counts[key]--;
        }
        return Task.CompletedTask;
    }
}

namespace WecomBridge.Sending.Limits;

/// <summary>Embedded mode: the same sets in one process (old periods are never read again: keys carry the period).</summary>
internal sealed class InMemoryCapStore : ICapStore
{
    private readonly Dictionary<string, HashSet<string>> _taken = new();
    private readonly Lock _gate = new();

    public Task<IReadOnlyList<string>> TakeAsync(string corp, string period, int limit, DateTimeOffset periodEnds, string messageId,
        IReadOnlyList<string> recipients)
    {
        var refused = new List<string>();
        lock (_gate)
        {
            foreach (var recipient in recipients)
            {
                var key = $"{corp}:{period}:{recipient}";
                if (!_taken.TryGetValue(key, out var ids)) _taken[key] = ids = [];
                if (ids.Contains(messageId)) continue;
                if (ids.Count >= limit) refused.Add(recipient);
                else ids.Add(messageId);
            }
        }
        return Task.FromResult<IReadOnlyList<string>>(refused);
    }

    public Task GiveBackAsync(string corp, string period, string messageId, IReadOnlyList<string> recipients)
    {
        lock (_gate)
            foreach (var recipient in recipients)
                if (_taken.TryGetValue($"{corp}:{period}:{recipient}", out var ids)) ids.Remove(messageId);
        return Task.CompletedTask;
    }
}

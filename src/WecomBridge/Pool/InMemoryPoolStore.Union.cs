namespace WecomBridge.Pool;

/// <summary>The contacts that share a follower's unionid, in the same order as PostgreSQL's.</summary>
internal sealed partial class InMemoryPoolStore
{
    public Task<IReadOnlyList<(string Corp, string ExternalUserId)>> ContactsOfUnionAsync(string unionId, int max,
        CancellationToken ct = default)
    {
        lock (_lock)
        {
            IReadOnlyList<(string Corp, string ExternalUserId)> found = _contacts.Where(c => c.Value.UnionId == unionId)
                .Select(c => (c.Key.Corp, c.Key.Ext))
                .OrderBy(c => c.Corp, StringComparer.Ordinal).ThenBy(c => c.Ext, StringComparer.Ordinal)
                .Take(max).ToArray();
            return Task.FromResult(found);
        }
    }
}

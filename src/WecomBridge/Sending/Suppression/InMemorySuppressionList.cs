using System.Collections.Concurrent;

namespace WecomBridge.Sending.Suppression;

internal sealed class InMemorySuppressionList : ISuppressionList
{
    private readonly ConcurrentDictionary<(string, string), Suppression> _entries = new();

    public Task AddAsync(string scope, string recipient, string reason, DateTimeOffset at)
    {
        _entries[(scope, recipient)] = new Suppression(reason, at);
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string scope, string recipient) => Task.FromResult(_entries.TryRemove((scope, recipient), out _));

    public Task<IReadOnlySet<string>> FindManyAsync(string scope, IReadOnlyList<string> recipients) =>
        Task.FromResult<IReadOnlySet<string>>(recipients.Where(r => _entries.ContainsKey((scope, r))).ToHashSet(StringComparer.Ordinal));

    public Task<Suppression?> FindAsync(string scope, string recipient) =>
        Task.FromResult(_entries.TryGetValue((scope, recipient), out var found) ? found : null);
}

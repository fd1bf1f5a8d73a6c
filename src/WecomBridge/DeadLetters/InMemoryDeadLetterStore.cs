using Microsoft.Extensions.Options;

namespace WecomBridge.DeadLetters;

/// <summary>The embedded mode's store: one process, gone with it (as the in-memory transport's queues are).</summary>
internal sealed class InMemoryDeadLetterStore(IOptions<DeadLetterOptions> options, TimeProvider clock) : IDeadLetterStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Seq, DeadLetter Letter)> _letters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _leases = new(StringComparer.Ordinal);
    private long _seq, _bytes;

    public Task<StoreResult> AddAsync(DeadLetter letter)
    {
        lock (_lock)
        {
            if (_letters.ContainsKey(letter.Id)) return Task.FromResult(StoreResult.Duplicate);
            if (_letters.Count >= options.Value.MaxMessages || _bytes + letter.Body.Length > options.Value.MaxBytes)
                return Task.FromResult(StoreResult.Full);
            _letters[letter.Id] = (++_seq, letter);
            _bytes += letter.Body.Length;
            return Task.FromResult(StoreResult.Added);
        }
    }

    public Task<IReadOnlyList<(string Queue, long Count)>> QueuesAsync()
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<(string, long)>>(_letters.Values.GroupBy(l => l.Letter.Queue, StringComparer.Ordinal)
                .Select(g => (g.Key, (long)g.Count())).OrderBy(q => q.Key, StringComparer.Ordinal).ToList());
    }

    public Task<IReadOnlyList<(long Seq, DeadLetter Letter)>> ListAsync(string queue, long after, int limit)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<(long, DeadLetter)>>(_letters.Values
                .Where(l => l.Seq > after && l.Letter.Queue == queue).OrderBy(l => l.Seq).Take(limit).ToList());
    }

    public Task<DeadLetter?> GetAsync(string id)
    {
        lock (_lock) return Task.FromResult(_letters.TryGetValue(id, out var l) ? l.Letter : null);
    }

    public Task<bool> TryLeaseAsync(string id, string owner, TimeSpan lease)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_leases.TryGetValue(id, out var held) && held.Until > now && held.Owner != owner) return Task.FromResult(false);
            _leases[id] = (owner, now + lease);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(string id, string owner)
    {
        lock (_lock)
            if (_leases.TryGetValue(id, out var held) && held.Owner == owner) _leases.Remove(id);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string id)
    {
        lock (_lock)
        {
            if (!_letters.Remove(id, out var l)) return Task.FromResult(false);
            _bytes -= l.Letter.Body.Length;
            return Task.FromResult(true);
        }
    }

    public Task<(long Count, long Bytes)> SizeAsync()
    {
        lock (_lock) return Task.FromResult(((long)_letters.Count, _bytes));
    }
}

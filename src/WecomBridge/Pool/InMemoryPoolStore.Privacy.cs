using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>Erasure and the retention pass in memory: the same rules as PostgreSQL's, under the store's one lock.</summary>
internal sealed partial class InMemoryPoolStore
{
    private readonly TimeProvider _time;
    private readonly Queue<(string EventId, DateTimeOffset At)> _appliedAt = [];
    private readonly Dictionary<string, DateTimeOffset> _erased = new(StringComparer.Ordinal);
    private readonly Lock _pass = new();

    /// <summary>One constructor for both parts: activity's rules and the clock of erasures and the retention pass.</summary>
    public InMemoryPoolStore(ActivityRules? rules = null, TimeProvider? time = null)
    {
        _rules = rules ?? ActivityRules.Default;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The change without the people erased at or after its time (null when nothing is left of it).</summary>
    private PoolChange? Unerased(PoolChange change)
    {
        if (_erased.Count == 0) return change;
        var erased = PoolErasure.Of(change).Subjects
            .Where(s => _erased.TryGetValue(s.Hash, out var at) && at >= change.At).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return PoolErasure.Without(change, erased);
    }

    public Task<bool> EraseAsync(PoolSubject subject, DateTimeOffset at, CancellationToken ct = default)
    {
        lock (_lock)
        {
            _erased[subject.Hash] = _erased.TryGetValue(subject.Hash, out var was) && was > at ? was : at;
            if (subject.Kind == PoolSubject.FollowerKind) return Task.FromResult(_followers.Remove((subject.Scope, subject.Id)));
            var removed = _contacts.Remove((subject.Scope, subject.Id));
            foreach (var key in _relations.Keys.Where(k => k.Corp == subject.Scope && k.Ext == subject.Id).ToList())
                removed |= _relations.Remove(key);
            foreach (var key in _members.Keys.Where(k => k.Corp == subject.Scope && k.Member == subject.Id).ToList())
                removed |= _members.Remove(key);
            return Task.FromResult(removed);
        }
    }

    public Task<PoolPruned?> PruneAsync(PoolCutoffs cutoffs, int batchSize, CancellationToken ct = default)
    {
        if (!_pass.TryEnter()) return Task.FromResult<PoolPruned?>(null);
        try
        {
            lock (_lock)
            {
                var relations = _relations.ToLookup(r => (r.Key.Corp, r.Key.Ext));
                var members = _members.ToLookup(m => (m.Key.Corp, m.Key.Member));
                var gone = _contacts.Keys.Where(c => relations[c].Any()
                    && relations[c].All(r => r.Value.DeletedAt < cutoffs.DeletedContacts)
                    && members[c].All(m => m.Value.LeftAt < cutoffs.DeletedContacts)).ToList();
                foreach (var c in gone)
                {
                    _contacts.Remove(c);
                    foreach (var r in relations[c]) _relations.Remove(r.Key);
                    foreach (var m in members[c]) _members.Remove(m.Key);
                }
                var followers = _followers.Where(f => !f.Value.Subscribed && f.Value.ChangedAt < cutoffs.UnsubscribedFollowers)
                    .Select(f => f.Key).ToList();
                foreach (var f in followers) _followers.Remove(f);
                var events = 0;
                while (_appliedAt.TryPeek(out var e) && e.At < cutoffs.AppliedEvents)
                {
                    _applied.Remove(_appliedAt.Dequeue().EventId);
                    events++;
                }
                var erasures = _erased.Where(e => e.Value < cutoffs.AppliedEvents).Select(e => e.Key).ToList();
                foreach (var e in erasures) _erased.Remove(e);
                return Task.FromResult<PoolPruned?>(new PoolPruned(gone.Count, followers.Count, events, erasures.Count));
            }
        }
        finally
        {
            _pass.Exit();
        }
    }
}

using WecomBridge.Pool.Segments;

namespace WecomBridge.Pool;

/// <summary>
/// Segments in memory (the embedded mode): a filter is a predicate (<see cref="SegmentPredicate"/>) over each contact of
/// the corp in external user id order, the same contacts and order as PostgreSQL gives.
/// </summary>
internal sealed partial class InMemoryPoolStore : ISegmentStore
{
    private readonly Dictionary<(string Corp, Guid Id), SavedSegment> _segments = [];

    public Task<long> CountAsync(SegmentQuery query, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Matching(query, null).LongCount());
        }
    }

    public Task<IReadOnlyList<SegmentContact>> PageAsync(SegmentQuery query, int limit, string? after, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SegmentContact>>(Matching(query, after).Take(limit)
                .Select(m => new SegmentContact(m.Ext, m.Row.UnionId, m.Row.Stage, m.Row.LastInteractionAt, m.Subject.ActiveRelations)).ToList());
        }
    }

    /// <summary>The corp's matching contacts after <paramref name="after"/>, lazily in id order (call under the lock).</summary>
    private IEnumerable<(string Ext, ContactRow Row, SegmentSubject Subject)> Matching(SegmentQuery query, string? after)
    {
        var predicate = SegmentPredicate.Compile(query.Filter, query.Now);
        var relations = _relations.Where(r => r.Key.Corp == query.Corp && r.Value.DeletedAt is null)
            .OrderBy(r => r.Key.User, StringComparer.Ordinal)
            .ToLookup(r => r.Key.Ext, r => new PoolRelationSummary(r.Key.User, r.Value.AddedAt, r.Value.State, r.Value.TagIds));
        var chats = _members.Where(m => m.Key.Corp == query.Corp && m.Value.LeftAt is null).ToLookup(m => m.Key.Member, m => m.Key.Chat);
        var accounts = _followers.Where(f => f.Value.Subscribed && f.Value.UnionId is not null)
            .ToLookup(f => f.Value.UnionId!, f => f.Key.Account);
        return _contacts.Where(c => c.Key.Corp == query.Corp && (after is null || string.CompareOrdinal(c.Key.Ext, after) > 0))
            .OrderBy(c => c.Key.Ext, StringComparer.Ordinal)
            .Select(c => (c.Key.Ext, c.Value, new SegmentSubject(c.Value.Stage, c.Value.LastInteractionAt, c.Value.BurstFlaggedAt,
                [.. relations[c.Key.Ext]], [.. chats[c.Key.Ext]], c.Value.UnionId is { } u ? [.. accounts[u]] : [])))
            .Where(m => predicate(m.Item3));
    }

    public Task<IReadOnlyList<SavedSegment>> ListSegmentsAsync(string corp, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SavedSegment>>([.. _segments.Values.Where(s => s.Corp == corp)
                .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)]);
        }
    }

    public Task<SavedSegment?> GetSegmentAsync(string corp, Guid id, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_segments.GetValueOrDefault((corp, id)));
        }
    }

    public Task<bool> SaveSegmentAsync(SavedSegment segment, bool create, CancellationToken ct = default)
    {
        lock (_lock)
        {
            var key = (segment.Corp, segment.Id);
            if (create == _segments.ContainsKey(key)) return Task.FromResult(false);
            _segments[key] = create ? segment : segment with { CreatedAt = _segments[key].CreatedAt };
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteSegmentAsync(string corp, Guid id, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_segments.Remove((corp, id)));
        }
    }

    /// <summary>
    /// Sets the activity, stage and burst-flag columns that the activity and stage code keeps, for tests of segments that
    /// need contacts in given stages.
    /// </summary>
    internal void SetActivity(string corp, string externalUserId, DateTimeOffset? lastInteractionAt, string stage, DateTimeOffset? burstFlaggedAt)
    {
        lock (_lock)
        {
            var row = _contacts[(corp, externalUserId)];
            (row.LastInteractionAt, row.Stage, row.BurstFlaggedAt) = (lastInteractionAt, stage, burstFlaggedAt);
        }
    }
}

namespace WecomBridge.Pool;

/// <summary>Reads of the in-memory pool: the same shapes and order as PostgreSQL's.</summary>
internal sealed partial class InMemoryPoolStore
{
    public Task<PoolContact?> GetContactAsync(string corp, string externalUserId, CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (!_contacts.TryGetValue((corp, externalUserId), out var c)) return Task.FromResult<PoolContact?>(null);
            var relations = _relations.Where(r => r.Key.Corp == corp && r.Key.Ext == externalUserId)
                .OrderBy(r => r.Key.User, StringComparer.Ordinal)
                .Select(r => new PoolRelation(r.Key.User, r.Value.AddedAt, r.Value.AddWay, r.Value.State, r.Value.Remark,
                    r.Value.DeletedAt, r.Value.DeletedBy, r.Value.TagIds, r.Value.ChangedAt))
                .ToList();
            var groups = _members.Where(m => m.Key.Corp == corp && m.Key.Member == externalUserId)
                .OrderBy(m => m.Key.Chat, StringComparer.Ordinal)
                .Select(m => new PoolGroupMembership(m.Key.Chat, m.Value.JoinedAt, m.Value.JoinScene, m.Value.LeftAt))
                .ToList();
            var followers = c.UnionId is null ? [] : _followers.Where(f => f.Value.UnionId == c.UnionId)
                .OrderBy(f => f.Key.Account, StringComparer.Ordinal).ThenBy(f => f.Key.OpenId, StringComparer.Ordinal)
                .Select(f => Follower(f.Key, f.Value)).ToList();
            return Task.FromResult<PoolContact?>(new PoolContact(corp, externalUserId, c.Type, c.UnionId, c.Name, c.FirstSeenAt,
                relations, ActiveTags(relations), groups, followers)
            {
                LastInteractionAt = c.LastInteractionAt, LastInteractionKind = c.LastInteractionKind, Stage = c.Stage,
                StageChangedAt = c.StageChangedAt, BurstFlaggedAt = c.BurstFlaggedAt,
            });
        }
    }

    public Task<IReadOnlyList<PoolContactSummary>> ListContactsAsync(ContactQuery q, CancellationToken ct = default)
    {
        lock (_lock)
        {
            var page = _relations
                .Where(r => r.Key.Corp == q.Corp && r.Value.DeletedAt is null
                    && (q.After is null || string.CompareOrdinal(r.Key.Ext, q.After) > 0)
                    && (q.State is null || r.Value.State == q.State)
                    && (q.Tag is null || r.Value.TagIds.Contains(q.Tag))
                    && (q.AddedAfter is null || r.Value.AddedAt >= q.AddedAfter))
                .Select(r => r.Key.Ext).Distinct().Order(StringComparer.Ordinal).Take(q.Limit)
                .Select(ext => new PoolContactSummary(ext, _contacts.GetValueOrDefault((q.Corp, ext))?.UnionId, _relations
                    .Where(r => r.Key.Corp == q.Corp && r.Key.Ext == ext && r.Value.DeletedAt is null)
                    .OrderBy(r => r.Key.User, StringComparer.Ordinal)
                    .Select(r => new PoolRelationSummary(r.Key.User, r.Value.AddedAt, r.Value.State, r.Value.TagIds)).ToList()))
                .ToList();
            return Task.FromResult<IReadOnlyList<PoolContactSummary>>(page);
        }
    }

    public Task<PoolFollower?> GetFollowerAsync(string account, string openId, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_followers.TryGetValue((account, openId), out var f) ? Follower((account, openId), f) : null);
        }
    }

    /// <summary>The corp tags of the contact's active relations, each once.</summary>
    internal static IReadOnlyList<string> ActiveTags(IEnumerable<PoolRelation> relations) =>
        [.. relations.Where(r => r.DeletedAt is null).SelectMany(r => r.TagIds).Distinct().Order(StringComparer.Ordinal)];

    private static PoolFollower Follower((string Account, string OpenId) key, FollowerRow f) => new(key.Account, key.OpenId, f.UnionId,
        f.Subscribed, f.SubscribedAt, f.UnsubscribedAt, f.Scene, f.SubscribeScene, f.TagIds, f.Remark, f.ChangedAt)
    {
        LastInteractionAt = f.LastInteractionAt, LastInteractionKind = f.LastInteractionKind,
    };
}

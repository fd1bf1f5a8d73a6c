using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>
/// Activity, stages and the burst guard in memory: the same rules as PostgreSQL (<see cref="PostgresPoolStore"/>),
/// applied under the store's lock with the change that caused them; events wait in an outbox list until published.
/// </summary>
internal sealed partial class InMemoryPoolStore : IPoolActivityStore
{
    private readonly ActivityRules _rules;
    private readonly List<OutboxEvent> _outbox = [];
    private readonly Dictionary<(string Corp, string State, DateTimeOffset Minute), (int Adds, DateTimeOffset? Started)> _channelAdds = [];

    /// <summary>What <paramref name="change"/> means for activity, stages and the burst guard; true when it wrote events.</summary>
    private bool Activity(PoolChange change)
    {
        var written = _outbox.Count;
        (string? corp, string[] touched) = change switch
        {
            RelationAdded c => (c.Corp, new[] { c.ExternalUserId }),
            RelationDeleted c => (c.Corp, new[] { c.ExternalUserId }),
            ContactRead c => (c.Corp, new[] { c.ExternalUserId }),
            ChatMembersChanged { Joined: true } c => (c.Corp, c.MemberIds.Distinct().ToArray()),
            ContactInteraction c => (c.Corp, new[] { c.ExternalUserId }),
            _ => ((string?)null, Array.Empty<string>()),
        };
        switch (change)
        {
            case RelationAdded c:
                Interacted(c.Corp, touched, c.At, InteractionKinds.Added);
                if (c.State is not null) CountAdd(c, c.State);
                break;
            case ContactRead { Relations.Count: > 0 } c: Interacted(c.Corp, touched, c.Relations.Max(r => r.AddedAt), InteractionKinds.Added); break;
            case ChatMembersChanged { Joined: true } c: Interacted(c.Corp, touched, c.At, InteractionKinds.GroupJoin); break;
            case ContactInteraction c: Interacted(c.Corp, touched, c.At, c.Kind); break;
            case FollowerSubscription { Subscribed: true } c:
                FollowerInteracted(new FollowerInteraction(c.Account, c.OpenId, c.At, InteractionKinds.Subscribed));
                break;
            case FollowerInteraction c: FollowerInteracted(c); break;
        }
        if (corp is not null)
        {
            var now = _rules.Time.GetUtcNow();
            foreach (var ext in touched.Order(StringComparer.Ordinal))
                if (_contacts.ContainsKey((corp, ext))) Restage(Facts(corp, ext, RelationsOf(corp, ext)), now);
        }
        return _outbox.Count > written;
    }

    private void Interacted(string corp, string[] exts, DateTimeOffset at, string kind)
    {
        foreach (var ext in exts)
            if (_contacts.TryGetValue((corp, ext), out var c) && (c.LastInteractionAt is null || c.LastInteractionAt < at))
                (c.LastInteractionAt, c.LastInteractionKind) = (at, kind);
    }

    private void FollowerInteracted(FollowerInteraction i)
    {
        if (!_followers.TryGetValue((i.Account, i.OpenId), out var f))
            _followers[(i.Account, i.OpenId)] = f = new FollowerRow { Subscribed = true, ChangedAt = i.At, FirstSeenAt = i.At };
        if (f.LastInteractionAt is null || f.LastInteractionAt < i.At) (f.LastInteractionAt, f.LastInteractionKind) = (i.At, i.Kind);
    }

    private IEnumerable<RelationRow> RelationsOf(string corp, string ext) =>
        _relations.Where(r => r.Key.Corp == corp && r.Key.Ext == ext).Select(r => r.Value);

    private ContactFacts Facts(string corp, string ext, IEnumerable<RelationRow> relations)
    {
        var c = _contacts[(corp, ext)];
        var list = relations.ToList();
        return new ContactFacts(corp, ext, c.FirstSeenAt, c.LastInteractionAt, c.Stage, list.Count, list.Count(r => r.DeletedAt is null),
            list.Min(r => r.AddedAt));
    }

    private void Restage(ContactFacts f, DateTimeOffset now)
    {
        var stage = _rules.Evaluate(f, now);
        if (stage == f.Stage) return;
        var row = _contacts[(f.Corp, f.ExternalUserId)];
        (row.Stage, row.StageChangedAt) = (stage, now);
        _outbox.Add(ActivityEvents.StageChanged(f, stage, now));
    }

    /// <summary>Counts the add in its minute; the add that takes the minute over the limit starts (or continues) a burst.</summary>
    private void CountAdd(RelationAdded c, string state)
    {
        var limit = _rules.BurstLimit(state);
        if (limit <= 0) return;
        var minute = PostgresPoolStore.Minute(c.At);
        var (adds, started) = _channelAdds.GetValueOrDefault((c.Corp, state, minute));
        adds++;
        _channelAdds[(c.Corp, state, minute)] = (adds, started);
        if (adds <= limit) return;
        if (started is { } since)
        {
            Flag(c.Corp, c.ExternalUserId, since);
            return;
        }
        var previous = _channelAdds.GetValueOrDefault((c.Corp, state, minute.AddMinutes(-1))).Started;
        since = previous ?? minute;
        _channelAdds[(c.Corp, state, minute)] = (adds, since);
        foreach (var (key, r) in _relations)
            if (key.Corp == c.Corp && r.State == state && r.DeletedAt is null && r.AddedAt >= minute && r.AddedAt < minute.AddMinutes(1))
                Flag(c.Corp, key.Ext, since);
        if (previous is null) _outbox.Add(ActivityEvents.BurstDetected(c.Corp, state, since, adds, limit, c.At));
    }

    private void Flag(string corp, string ext, DateTimeOffset since)
    {
        if (_contacts.TryGetValue((corp, ext), out var c)) c.BurstFlaggedAt ??= since;
    }
}

namespace WecomBridge.Pool.Segments;

/// <summary>What a filter looks at in memory: one contact with its active relations, current group chats and subscriptions.</summary>
internal sealed record SegmentSubject(
    string Stage,
    DateTimeOffset? LastInteractionAt,
    DateTimeOffset? BurstFlaggedAt,
    IReadOnlyList<PoolRelationSummary> ActiveRelations,
    IReadOnlyCollection<string> CurrentChats,
    IReadOnlyCollection<string> SubscribedAccounts);

/// <summary>A filter as a predicate over <see cref="SegmentSubject"/>: the in-memory twin of <see cref="SegmentSql"/>.</summary>
internal static class SegmentPredicate
{
    public static Func<SegmentSubject, bool> Compile(SegmentFilter filter, DateTimeOffset now) => filter switch
    {
        AllOf a => Combine(a.Items, now, all: true),
        AnyOf a => Combine(a.Items, now, all: false),
        NotOf n => Negate(Compile(n.Item, now)),
        TagsFilter t => s => Tags(t, s),
        RelationFilter r => Relation(r, now),
        StageFilter f => s => f.Stages.Contains(s.Stage),
        LastActiveFilter l => LastActive(l.Range, now),
        InGroupFilter g => s => g.ChatId is null ? s.CurrentChats.Count > 0 : s.CurrentChats.Contains(g.ChatId),
        OaSubscribedFilter o => s => s.SubscribedAccounts.Contains(o.Account),
        BurstFlaggedFilter b => s => (s.BurstFlaggedAt is not null) == b.Flagged,
        _ => throw new ArgumentException($"Unknown segment filter {filter.GetType().Name}", nameof(filter)),
    };

    private static Func<SegmentSubject, bool> Combine(IReadOnlyList<SegmentFilter> items, DateTimeOffset now, bool all)
    {
        var predicates = items.Select(i => Compile(i, now)).ToList();
        return all ? s => predicates.All(p => p(s)) : s => predicates.Any(p => p(s));
    }

    private static Func<SegmentSubject, bool> Negate(Func<SegmentSubject, bool> p) => s => !p(s);

    private static bool Tags(TagsFilter t, SegmentSubject s)
    {
        var tags = s.ActiveRelations.SelectMany(r => r.TagIds).ToHashSet(StringComparer.Ordinal);
        return t.All.All(tags.Contains) && (t.Any.Count == 0 || t.Any.Any(tags.Contains)) && !t.None.Any(tags.Contains);
    }

    private static Func<SegmentSubject, bool> Relation(RelationFilter f, DateTimeOffset now)
    {
        var after = f.Added?.After?.Resolve(now);
        var before = f.Added?.Before?.Resolve(now);
        return s => s.ActiveRelations.Any(r => (f.States is null || (r.State is not null && f.States.Contains(r.State)))
            && (f.FollowUsers is null || f.FollowUsers.Contains(r.UserId))
            && (after is null || r.AddedAt >= after)
            && (before is null || r.AddedAt < before));
    }

    private static Func<SegmentSubject, bool> LastActive(TimeRange range, DateTimeOffset now)
    {
        var after = range.After?.Resolve(now);
        var before = range.Before?.Resolve(now);
        return s => (after is null || s.LastInteractionAt >= after)
            && (before is null || s.LastInteractionAt is null || s.LastInteractionAt < before);
    }
}

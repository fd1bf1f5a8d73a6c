namespace WecomBridge.Pool.Segments;

/// <summary>
/// A segment's filter over a corp's contacts (docs/pool.md, "Segments"): parsed from JSON by
/// <see cref="SegmentFilterParser"/>, run as SQL by <see cref="SegmentSql"/> and in memory by <see cref="SegmentPredicate"/>,
/// which must agree on every contact. Every condition is true or false for a contact, never unknown, so that
/// <see cref="NotOf"/> is always the exact complement.
/// </summary>
internal abstract record SegmentFilter;

/// <summary>Every condition holds (none given: every contact).</summary>
internal sealed record AllOf(IReadOnlyList<SegmentFilter> Items) : SegmentFilter;

/// <summary>At least one condition holds.</summary>
internal sealed record AnyOf(IReadOnlyList<SegmentFilter> Items) : SegmentFilter;

internal sealed record NotOf(SegmentFilter Item) : SegmentFilter;

/// <summary>Over the corp tags of the contact's active relations together: all of, any of, none of (empty lists: no test).</summary>
internal sealed record TagsFilter(IReadOnlyList<string> All, IReadOnlyList<string> Any, IReadOnlyList<string> None) : SegmentFilter;

/// <summary>One active relation matches every part given: its channel state, its member, its added time. Nothing given: any active one.</summary>
internal sealed record RelationFilter(IReadOnlyList<string>? States, IReadOnlyList<string>? FollowUsers, TimeRange? Added) : SegmentFilter;

internal sealed record StageFilter(IReadOnlyList<string> Stages) : SegmentFilter;

/// <summary>On pool.contacts.last_interaction_at: `before` also matches a contact never active (the complement of `after`).</summary>
internal sealed record LastActiveFilter(TimeRange Range) : SegmentFilter;

/// <summary>A current member of this group chat, or of any (ChatId null).</summary>
internal sealed record InGroupFilter(string? ChatId) : SegmentFilter;

/// <summary>A follower of the account that shares the contact's unionid is subscribed.</summary>
internal sealed record OaSubscribedFilter(string Account) : SegmentFilter;

internal sealed record BurstFlaggedFilter(bool Flagged) : SegmentFilter;

/// <summary>At or after <see cref="After"/>, strictly before <see cref="Before"/>.</summary>
internal sealed record TimeRange(TimeRef? After, TimeRef? Before);

/// <summary>An absolute time, or a duration before the time the filter runs (so a saved segment keeps its meaning).</summary>
internal readonly record struct TimeRef(DateTimeOffset? At, TimeSpan Ago)
{
    public DateTimeOffset Resolve(DateTimeOffset now) => At ?? now - Ago;
}

/// <summary>A filter to run for a corp, relative times taken from <see cref="Now"/>.</summary>
internal sealed record SegmentQuery(string Corp, SegmentFilter Filter, DateTimeOffset Now);

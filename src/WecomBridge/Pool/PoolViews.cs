namespace WecomBridge.Pool;

/// <summary>A contact of a corp. Name only when Pool:StoreNames; FirstSeenAt the time of the first event the pool applied.</summary>
public sealed record PoolContact(
    string Corp,
    string ExternalUserId,
    int? Type,
    string? UnionId,
    string? Name,
    DateTimeOffset FirstSeenAt,
    IReadOnlyList<PoolRelation> Relations,
    IReadOnlyList<string> TagIds,
    IReadOnlyList<PoolGroupMembership> Groups,
    IReadOnlyList<PoolFollower> Followers)
{
    /// <summary>The newest interaction seen or reported (adds, group joins, what a CRM posted) and its kind.</summary>
    public DateTimeOffset? LastInteractionAt { get; init; }
    public string? LastInteractionKind { get; init; }
    /// <summary>The lifecycle stage: new, active, dormant or lost, since StageChangedAt (null: new since first seen).</summary>
    public string Stage { get; init; } = "new";
    public DateTimeOffset? StageChangedAt { get; init; }
    /// <summary>Set when the contact was added through a channel during a burst of adds (the burst's start).</summary>
    public DateTimeOffset? BurstFlaggedAt { get; init; }
}

/// <summary>
/// A member's relation with the contact. State: the contact way's state (the channel). DeletedBy: employee, customer,
/// transfer, or null when deleted is unknown. ChangedAt: the time of the last change applied to it.
/// </summary>
public sealed record PoolRelation(
    string UserId,
    DateTimeOffset? AddedAt,
    int? AddWay,
    string? State,
    string? Remark,
    DateTimeOffset? DeletedAt,
    string? DeletedBy,
    IReadOnlyList<string> TagIds,
    DateTimeOffset ChangedAt);

/// <summary>A group chat the contact is or was in (LeftAt set once it left or the chat was dismissed).</summary>
public sealed record PoolGroupMembership(string ChatId, DateTimeOffset? JoinedAt, int? JoinScene, DateTimeOffset? LeftAt);

/// <summary>An Official Account follower. Scene: the parametric QR code it followed through; SubscribeScene WeChat's ADD_SCENE_….</summary>
public sealed record PoolFollower(
    string Account,
    string OpenId,
    string? UnionId,
    bool Subscribed,
    DateTimeOffset? SubscribedAt,
    DateTimeOffset? UnsubscribedAt,
    string? Scene,
    string? SubscribeScene,
    IReadOnlyList<int> TagIds,
    string? Remark,
    DateTimeOffset ChangedAt)
{
    /// <summary>The newest interaction seen or reported (subscribe, messages, menu clicks and views, scans, CRM posts).</summary>
    public DateTimeOffset? LastInteractionAt { get; init; }
    public string? LastInteractionKind { get; init; }
}

/// <summary>A contact in a list: its active relations only.</summary>
public sealed record PoolContactSummary(string ExternalUserId, string? UnionId, IReadOnlyList<PoolRelationSummary> Relations);

public sealed record PoolRelationSummary(string UserId, DateTimeOffset? AddedAt, string? State, IReadOnlyList<string> TagIds);

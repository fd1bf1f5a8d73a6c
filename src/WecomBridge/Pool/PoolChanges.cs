namespace WecomBridge.Pool;

/// <summary>
/// One fact the pool applies, made from one event (<see cref="PoolProjection"/>). <see cref="At"/> is the event's time:
/// the change applies to a row only when no newer change was applied to it (equal times apply, the last one wins).
/// </summary>
internal abstract record PoolChange(DateTimeOffset At);

/// <summary>A member and a customer became contacts (added or half-added): the relation is active from <c>At</c>.</summary>
internal sealed record RelationAdded(string Corp, string ExternalUserId, string UserId, DateTimeOffset At, string? State)
    : PoolChange(At);

/// <summary>The relation ended: <see cref="DeletedBy"/> is employee, customer or transfer.</summary>
internal sealed record RelationDeleted(string Corp, string ExternalUserId, string UserId, DateTimeOffset At, string DeletedBy)
    : PoolChange(At)
{
    public const string Employee = "employee";
    public const string Customer = "customer";
    public const string Transfer = "transfer";
}

/// <summary>
/// The contact as the API showed it at <c>At</c> (a snapshot or a re-sync item), with the relations it showed. Relations
/// it does not show are left as they are: a read may not show members outside the reading app's visible range.
/// </summary>
internal sealed record ContactRead(string Corp, string ExternalUserId, int Type, string? UnionId, string? Name, DateTimeOffset At,
    IReadOnlyList<RelationRead> Relations) : PoolChange(At);

/// <summary>One relation of a <see cref="ContactRead"/>; TagIds are the corp tags the member put on the customer.</summary>
internal sealed record RelationRead(string UserId, DateTimeOffset AddedAt, int AddWay, string? State, string? Remark,
    IReadOnlyList<string> TagIds);

/// <summary>A group chat's whole member list at <c>At</c>: members not in it have left.</summary>
internal sealed record ChatMembersRead(string Corp, string ChatId, DateTimeOffset At, IReadOnlyList<ChatMemberRead> Members)
    : PoolChange(At);

/// <summary>Type 1 a corp member, 2 an external contact, null unknown; JoinScene 1 direct, 2 link, 3 QR, null unknown.</summary>
internal sealed record ChatMemberRead(string MemberId, int? Type, DateTimeOffset? JoinedAt, int? JoinScene);

/// <summary>Members joined (Joined) or left a group chat at <c>At</c>.</summary>
internal sealed record ChatMembersChanged(string Corp, string ChatId, DateTimeOffset At, bool Joined, int? JoinScene,
    IReadOnlyList<string> MemberIds) : PoolChange(At);

/// <summary>The chat was dismissed: every member left at <c>At</c>, and no older join brings one back.</summary>
internal sealed record ChatDismissed(string Corp, string ChatId, DateTimeOffset At) : PoolChange(At);

/// <summary>A user followed (Subscribed) or unfollowed an Official Account at <c>At</c>; Scene is the QR code's.</summary>
internal sealed record FollowerSubscription(string Account, string OpenId, DateTimeOffset At, bool Subscribed, string? Scene)
    : PoolChange(At);

/// <summary>The follower as user/info showed it at <c>At</c> (a snapshot or a re-sync item).</summary>
internal sealed record FollowerRead(string Account, string OpenId, DateTimeOffset At, bool Subscribed, string? UnionId,
    DateTimeOffset? SubscribedAt, string? Scene, string? SubscribeScene, IReadOnlyList<int> TagIds, string? Remark)
    : PoolChange(At);

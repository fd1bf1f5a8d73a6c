namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// An external contact deleted the employee (del_follow_user).
/// </summary>
public sealed record FollowUserDeleted(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId,
    string ExternalUserId);

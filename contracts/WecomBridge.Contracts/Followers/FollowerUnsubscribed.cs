namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A user unfollowed the Official Account.
/// </summary>
public sealed record FollowerUnsubscribed(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string OpenId);

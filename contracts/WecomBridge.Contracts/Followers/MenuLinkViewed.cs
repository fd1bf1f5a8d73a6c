namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A follower opened a menu link (VIEW).
/// </summary>
public sealed record MenuLinkViewed(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string OpenId,
    string Url,
    string? MenuId);

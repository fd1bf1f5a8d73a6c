namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A follower clicked a custom menu item (CLICK).
/// </summary>
public sealed record MenuClicked(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string OpenId,
    string Key);

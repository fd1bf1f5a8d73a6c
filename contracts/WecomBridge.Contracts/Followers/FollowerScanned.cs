namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A follower scanned a parametric QR code (SCAN).
/// </summary>
public sealed record FollowerScanned(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string OpenId,
    string Scene,
    string? Ticket);

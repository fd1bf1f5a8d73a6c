namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A user followed the Official Account; Scene (without qrscene_) and Ticket when from a parametric QR
/// code.
/// </summary>
public sealed record FollowerSubscribed(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string OpenId,
    string? Scene,
    string? Ticket);

namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A follower's location was reported (LOCATION).
/// </summary>
public sealed record FollowerLocationReported(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string OpenId,
    double Latitude,
    double Longitude,
    double? Precision);

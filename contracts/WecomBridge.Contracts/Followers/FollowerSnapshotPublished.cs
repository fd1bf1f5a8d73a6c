namespace WecomBridge.Contracts.Followers;

/// <summary>
/// The follower as user/info showed it, read after a FollowerSubscribed (SourceEvent, SourceEventId). No nickname or
/// avatar (WeChat stopped giving them in 2021). Subscribed false: the user unfollowed again before the read, and
/// little else is known. SubscribeScene is WeChat's ADD_SCENE_… value; QrScene/QrSceneStr the parametric QR code.
/// </summary>
public sealed record FollowerSnapshotPublished(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ReadAt,
    string SourceEvent,
    string SourceEventId,
    string OpenId,
    bool Subscribed,
    string? UnionId,
    DateTimeOffset? SubscribedAt,
    string? SubscribeScene,
    long? QrScene,
    string? QrSceneStr,
    IReadOnlyList<int> TagIds,
    string? Remark,
    string? Language);

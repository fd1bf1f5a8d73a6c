namespace WecomBridge.Contracts.Resync;

/// <summary>A re-sync read one Official Account follower (user/get + user/info).</summary>
public sealed record ResyncFollowerRead(
    string EventId,
    string ResyncId,
    string Account,
    string AppId,
    DateTimeOffset ReadAt,
    string OpenId,
    bool Subscribed,
    string? UnionId,
    long? SubscribeTime,
    string? SubscribeScene,
    string? Remark,
    IReadOnlyList<int> TagIds);

namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A follower sent a message (MsgType text, image, voice, video, shortvideo, location or link). Content
/// fields are set by MsgType.
/// </summary>
public sealed record FollowerMessageReceived(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string OpenId,
    string MsgType,
    string MsgId,
    string? Content,
    string? PicUrl,
    string? MediaId,
    string? Format,
    string? Recognition,
    string? ThumbMediaId,
    double? LocationX,
    double? LocationY,
    int? Scale,
    string? Label,
    string? Title,
    string? Description,
    string? Url);

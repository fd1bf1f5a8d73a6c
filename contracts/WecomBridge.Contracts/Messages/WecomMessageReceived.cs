namespace WecomBridge.Contracts.Messages;

/// <summary>
/// A member sent a message to a WeCom app (MsgType text, image, voice, video, location or link).
/// Content fields are set by MsgType.
/// </summary>
public sealed record WecomMessageReceived(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string? AgentId,
    string FromUserId,
    string MsgType,
    string MsgId,
    string? Content,
    string? PicUrl,
    string? MediaId,
    string? Format,
    string? ThumbMediaId,
    double? LocationX,
    double? LocationY,
    int? Scale,
    string? Label,
    string? Title,
    string? Description,
    string? Url);

namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A template message send finished (TEMPLATESENDJOBFINISH). Outcome: success, user_blocked,
/// system_failed, rate_limited, failed, unknown.
/// </summary>
public sealed record TemplateSendJobFinished(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string OpenId,
    string MsgId,
    string Status,
    string Outcome);

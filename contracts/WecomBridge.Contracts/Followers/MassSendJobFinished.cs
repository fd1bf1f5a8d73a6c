namespace WecomBridge.Contracts.Followers;

/// <summary>
/// A mass send finished (MASSSENDJOBFINISH). Outcome: success, failed, error (ErrorCode from
/// err(NNNNN)), unknown.
/// </summary>
public sealed record MassSendJobFinished(
    string EventId,
    string Account,
    string AppId,
    string OriginalId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string MsgId,
    string Status,
    string Outcome,
    int? ErrorCode,
    int? TotalCount,
    int? FilterCount,
    int? SentCount,
    int? ErrorCount,
    int? CopyrightCheckState,
    IReadOnlyList<string> ArticleUrls);

using WecomBridge.WeCom;

namespace WecomBridge.Enrichment;

/// <summary>Enrichment logs: ids, paths and errcodes only, never names, remarks or mobiles.</summary>
internal static partial class EnrichmentLog
{
    /// <summary><paramref name="source"/>: the corp or account key.</summary>
    public static void ReadFailed(ILogger logger, string sourceEvent, string sourceEventId, string source, ApiException e) =>
        ReadFailed(logger, sourceEvent, sourceEventId, source, e.Path, e.ErrCode, e.Class,
            EnrichmentRetry.IsTransient(e) ? "retried" : "not retried: to the error queue");

    [LoggerMessage(500, LogLevel.Warning,
        "Enrichment of {SourceEvent} {SourceEventId} ({Source}) failed: {Path} errcode {ErrCode} ({ErrorClass}), {Next}")]
    private static partial void ReadFailed(ILogger logger, string sourceEvent, string sourceEventId, string source, string path,
        int? errCode, ApiErrorClass errorClass, string next);

    [LoggerMessage(501, LogLevel.Warning,
        "Member-version gap in chat {ChatId} of {Corp}: stored {StoredVersion}, event {SourceEventId} says last {LastVersion}; re-read the chat")]
    public static partial void MemberVersionGap(ILogger logger, string corp, string chatId, string storedVersion, string lastVersion,
        string sourceEventId);

    [LoggerMessage(502, LogLevel.Debug, "Published {Snapshot} {EventId} for {SourceEvent} {SourceEventId}")]
    public static partial void Published(ILogger logger, string snapshot, string eventId, string sourceEvent, string sourceEventId);

    [LoggerMessage(503, LogLevel.Debug, "{SourceEvent} {SourceEventId} not enriched: {Source} has no API secret configured")]
    public static partial void NoSecret(ILogger logger, string sourceEvent, string sourceEventId, string source);
}

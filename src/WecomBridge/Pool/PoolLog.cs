namespace WecomBridge.Pool;

/// <summary>The pool's logs: event names and ids only, never names, remarks or any other content.</summary>
internal static partial class PoolLog
{
    [LoggerMessage(1801, LogLevel.Debug, "Pool applied {Event} {EventId}")]
    public static partial void Applied(ILogger logger, string @event, string eventId);

    [LoggerMessage(1802, LogLevel.Debug, "Pool skipped {Event} {EventId}: applied before")]
    public static partial void Duplicate(ILogger logger, string @event, string eventId);

    [LoggerMessage(1803, LogLevel.Information, "Contact pool in {Store}")]
    public static partial void Store(ILogger logger, string store);
}

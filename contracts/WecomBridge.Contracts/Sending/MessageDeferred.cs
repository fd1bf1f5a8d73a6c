namespace WecomBridge.Contracts.Sending;

/// <summary>A send waits until Until: quiet hours, a paused or full rate-limit bucket, or a retry after a transient failure.</summary>
public sealed record MessageDeferred(
    string EventId,
    string MessageId,
    string Kind,
    string? Corp,
    string? App,
    string? Account,
    DateTimeOffset OccurredAt,
    DateTimeOffset Until,
    string Reason);

namespace WecomBridge.Contracts.Sending;

/// <summary>
/// A send failed for good: a permanent errcode, every recipient suppressed or capped, a welcome past its 20 s, or
/// the retry budget spent (then the command is also dead-lettered). ErrCode is null when WeCom gave none.
/// </summary>
public sealed record MessageFailed(
    string EventId,
    string MessageId,
    string Kind,
    string? Corp,
    string? App,
    string? Account,
    DateTimeOffset OccurredAt,
    int? ErrCode,
    string Reason,
    int Attempts);

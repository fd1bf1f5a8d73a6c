namespace WecomBridge.Contracts.Sending;

/// <summary>
/// A configuration pause ended: a send of its scope succeeded (the operator fixed the setup). Throttle and quota
/// pauses end at their SendingPaused.Until and are not announced.
/// </summary>
public sealed record SendingResumed(
    string EventId,
    string Scope,
    string Cause,
    string? Corp,
    string? App,
    string? Account,
    string? Api,
    int? ErrCode,
    DateTimeOffset PausedAt,
    DateTimeOffset OccurredAt);

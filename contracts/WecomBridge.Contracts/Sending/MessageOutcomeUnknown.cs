namespace WecomBridge.Contracts.Sending;

/// <summary>
/// The status "ambiguous": the call may have reached WeCom (timeout, dropped connection, 5xx, or a dispatcher that
/// died mid-send) and repeating it could message a customer twice, so it is not repeated. Check in WeCom
/// (e.g. the group-message list) before sending again under a new message id.
/// </summary>
public sealed record MessageOutcomeUnknown(
    string EventId,
    string MessageId,
    string Kind,
    string? Corp,
    string? App,
    string? Account,
    DateTimeOffset OccurredAt,
    string Reason);

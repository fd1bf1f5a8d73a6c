namespace WecomBridge.Contracts.Sending;

/// <summary>
/// The status "dropped": the send was never made and never will be. Reason `expired` (the dispatcher reached it
/// after its NotAfter) or `cancelled` (DELETE /api/v1/messages/{id} while it was accepted or deferred) or
/// `empty audience` (a customer task's audience matched no contact).
/// </summary>
public sealed record MessageDropped(
    string EventId,
    string MessageId,
    string Kind,
    string? Corp,
    string? App,
    string? Account,
    DateTimeOffset OccurredAt,
    string Reason);

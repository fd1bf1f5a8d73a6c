namespace WecomBridge.Contracts.Resync;

/// <summary>
/// A re-sync ended. State: completed or failed. Items: events published; a consumer that counted fewer may
/// not have them all yet. Error: the errcode and API path of the call that failed, or a short reason.
/// </summary>
public sealed record ResyncFinished(
    string EventId,
    string ResyncId,
    string Scope,
    string? Corp,
    string? Account,
    string State,
    int Pages,
    int Items,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string? Error);

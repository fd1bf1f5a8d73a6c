namespace WecomBridge.Contracts.Operations;

/// <summary>
/// An operator discarded an event a gateway's spool had quarantined (DELETE /api/v1/gateway/quarantine/{id}): it is gone
/// for good and frees its room in the spool. Ids only: never the event's body. QuarantineId is the spool's row id on
/// Instance (the gateway's machine name); SpooledEventId the event's own eventId; Actor the name of the API key that
/// asked. EventId derives from the instance, row and action.
/// </summary>
public sealed record QuarantinedEventDiscarded(
    string EventId,
    string Instance,
    long QuarantineId,
    string SpooledEventId,
    string Type,
    string Actor,
    DateTimeOffset OccurredAt);

namespace WecomBridge.Contracts.Operations;

/// <summary>
/// An operator replayed an event a gateway's spool had quarantined (POST /api/v1/gateway/quarantine/{id}/replay): it went
/// back into that instance's spool, whose forwarder publishes it again. Ids only: never the event's body. QuarantineId is
/// the spool's row id on Instance (the gateway's machine name: each instance has a spool of its own); SpooledEventId the
/// event's own eventId; Actor the name of the API key that asked. EventId derives from the instance, row and action.
/// </summary>
public sealed record QuarantinedEventReplayed(
    string EventId,
    string Instance,
    long QuarantineId,
    string SpooledEventId,
    string Type,
    string Actor,
    DateTimeOffset OccurredAt);

namespace WecomBridge.Contracts.Journeys;

/// <summary>
/// A step of an enrolment ran its action (Action: customerTask, employeeReminder, template, tag, untag or wait).
/// MessageId: the send it handed to the dispatcher (follow it at GET /api/v1/messages/{id}; the dispatcher's caps, quiet
/// hours and suppression still decide). Once per enrolment and step: EventId derives from both.
/// </summary>
public sealed record JourneyStepTaken(
    string EventId,
    string Corp,
    string JourneyId,
    int Version,
    string EnrolmentId,
    string ExternalUserId,
    int StepIndex,
    string StepId,
    string Action,
    string? MessageId,
    DateTimeOffset OccurredAt);

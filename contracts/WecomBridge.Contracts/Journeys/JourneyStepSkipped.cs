namespace WecomBridge.Contracts.Journeys;

/// <summary>
/// A step of an enrolment did not run its action and the journey went on: a condition did not hold, nothing to send
/// to (Failed false), or the action failed for good after its attempts (Failed true). Reason says which, without
/// personal data. Once per enrolment and step: EventId derives from both.
/// </summary>
public sealed record JourneyStepSkipped(
    string EventId,
    string Corp,
    string JourneyId,
    int Version,
    string EnrolmentId,
    string ExternalUserId,
    int StepIndex,
    string StepId,
    string Reason,
    bool Failed,
    DateTimeOffset OccurredAt);

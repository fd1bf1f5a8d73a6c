namespace WecomBridge.Contracts.Journeys;

/// <summary>
/// An enrolment ended: Reason "completed" after its last step, else the exit that stopped it (contactDeleted,
/// suppressed, tagAdded, exitCall, journeyMissing). No step of it runs afterwards. EventId derives from EnrolmentId.
/// </summary>
public sealed record JourneyExited(
    string EventId,
    string Corp,
    string JourneyId,
    int Version,
    string EnrolmentId,
    string ExternalUserId,
    string Reason,
    DateTimeOffset OccurredAt);

namespace WecomBridge.Contracts.Journeys;

/// <summary>
/// A contact was enrolled in a journey version: by an event of the bridge (Trigger the journey's trigger kind, Source
/// that event's id) or by the CRM's enrol call (Trigger "enrolCall", Source its request id). FollowUser: the member the
/// journey's customer tasks and reminders go through (null: none known). EventId derives from EnrolmentId.
/// </summary>
public sealed record JourneyEnrolled(
    string EventId,
    string Corp,
    string JourneyId,
    int Version,
    string EnrolmentId,
    string ExternalUserId,
    string? FollowUser,
    string Trigger,
    string Source,
    DateTimeOffset EnrolledAt);

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// A contact's enrolment in one journey version. Source: what enrolled it (an event id, the CRM's request id); one
/// enrolment per journey, contact and source. FollowUser: the member its tasks and reminders go through. TraceParent:
/// the W3C context it was enrolled in (the triggering event's), the parent of its steps' activities and so of their sends.
/// </summary>
internal sealed record Enrolment(
    Guid Id,
    string Corp,
    string JourneyId,
    int Version,
    string ExternalUserId,
    string? FollowUser,
    string Source,
    DateTimeOffset EnrolledAt,
    string State = EnrolmentStates.Running,
    string? ExitReason = null,
    DateTimeOffset? EndedAt = null,
    string? TraceParent = null);

internal static class EnrolmentStates
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Exited = "exited";
}

/// <summary>
/// The step an enrolment's timer points at: where it starts (first step) or goes on (next step), due at DueAt. After a
/// wait step, WaitingFor names the event kind waited for and WaitUntil the wait's deadline: the step is taken at the
/// later of DueAt and the event's arrival (or the deadline).
/// </summary>
internal sealed record NextStep(int StepIndex, string StepId, DateTimeOffset DueAt, string? WaitingFor = null, DateTimeOffset? WaitUntil = null)
{
    public DateTimeOffset ClaimAt => WaitUntil is { } until && until > DueAt ? until : DueAt;
}

/// <summary>A due step a runner holds until its lease ends. Attempts counts this claim.</summary>
internal sealed record ClaimedStep(Enrolment Enrolment, int StepIndex, string StepId, DateTimeOffset StepDueAt, int Attempts, string? WaitingFor);

/// <summary>What became of a step (<see cref="StepOutcomes"/>): once per enrolment and step.</summary>
internal sealed record StepRecord(int StepIndex, string StepId, string Outcome, string? Reason, string? MessageId, DateTimeOffset At, string Action);

internal static class StepOutcomes
{
    public const string Taken = "taken";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}

internal enum EnrolOutcome
{
    Enrolled,
    /// <summary>This source enrolled the contact in this journey before (a redelivered event, a repeated call).</summary>
    Duplicate,
    /// <summary>An enrolment of the contact in this journey is running.</summary>
    AlreadyRunning,
}

/// <summary>Counts of a journey's enrolments and, per step id, of timers waiting on it and of its outcomes.</summary>
internal sealed record JourneyCounts(int Enrolled, int Active, int Completed, int Exited, IReadOnlyDictionary<string, StepCounts> Steps);

internal sealed record StepCounts(int Due, int Taken, int Skipped, int Failed);

/// <summary>One enrolment of a contact with what became of its steps and, while it runs, its next step.</summary>
internal sealed record EnrolmentHistory(Enrolment Enrolment, IReadOnlyList<StepRecord> Steps, NextStep? Next);

namespace WecomBridge.Journeys.Views;

// What the journey views answer (docs/journeys.md, "Watching journeys"): counts, a contact's enrolments and a dry run.
// Ids and outcomes only: no contact's name, remark or message text.

/// <summary>A journey's enrolments by state and, per step id (the latest version's steps first), its timers and outcomes.</summary>
public sealed record JourneyProgress(string Journey, string Corp, int Enrolled, int Active, int Completed, int Exited,
    IReadOnlyList<JourneyStepProgress> Steps);

/// <summary>Due: running enrolments whose next step this is; taken, skipped, failed: outcomes recorded.</summary>
public sealed record JourneyStepProgress(string Id, int Due, int Taken, int Skipped, int Failed);

/// <summary>A contact's enrolments in the corp's journeys, newest first.</summary>
public sealed record ContactJourneys(string Corp, string ExternalUserId, IReadOnlyList<ContactEnrolment> Items);

/// <summary>One enrolment: its version, state (running, completed, exited), what became of its steps and, while it runs, its next step.</summary>
public sealed record ContactEnrolment(string EnrolmentId, string Journey, int Version, string State, string Source, string? FollowUser,
    DateTimeOffset EnrolledAt, DateTimeOffset? EndedAt, string? ExitReason, IReadOnlyList<ContactStep> Steps, ContactNextStep? Next);

/// <summary>A step's outcome (taken, skipped, failed) with its reason, and the message id of its send.</summary>
public sealed record ContactStep(int Index, string Id, string Outcome, string? Reason, string? MessageId, DateTimeOffset At);

/// <summary>The step the enrolment's timer points at: due at DueAt, or after a wait once WaitingFor is seen (or the wait ends).</summary>
public sealed record ContactNextStep(int Index, string Id, DateTimeOffset DueAt, string? WaitingFor);

/// <summary>POST …/dry-run: the contact, and the enrolment time to schedule from (default now).</summary>
public sealed record DryRunRequest(string ExternalUserId, DateTimeOffset? At);

/// <summary>
/// What the journey's latest version would do for the contact enrolled at EnrolledAt: nothing is sent or written.
/// InPool: the pool has the contact (with a member); Suppressed: on the send suppression list (null: not known here);
/// Running: an enrolment of the contact in this journey runs now.
/// </summary>
public sealed record JourneyDryRun(string Journey, string Corp, int Version, bool Active, string ExternalUserId, DateTimeOffset EnrolledAt,
    DateTimeOffset CheckedAt, string TimeZone, bool InPool, bool? Suppressed, bool Running, string? Exit, IReadOnlyList<DryRunStep> Steps);

/// <summary>
/// One step: due at DueAt (after a wait: at the earliest), customer tasks put off to QuietUntil by quiet hours; WouldRun
/// when its conditions hold now and the action has its recipient, else Reason says why it would be skipped.
/// </summary>
public sealed record DryRunStep(int Index, string Id, DateTimeOffset DueAt, bool AfterWait, DateTimeOffset? QuietUntil, bool WouldRun,
    string? Reason, DryRunAction Action);

/// <summary>
/// The action as the definition holds it and its recipient: Member (the employee a task or reminder goes through),
/// ExternalUserId, OpenId (the follower a template goes to), App, Account, TemplateId, TagId, EventKind. Texts are not
/// repeated: the definition has them.
/// </summary>
public sealed record DryRunAction(string Kind, bool Sends, string? Member, string? ExternalUserId, string? OpenId, string? App, string? Account,
    string? TemplateId, string? TagId, string? EventKind);

using System.Text.Json;
using WecomBridge.Pool.Segments;

namespace WecomBridge.Journeys;

// A lifecycle journey as the bridge runs it (docs/journeys.md): what the definitions API validated from an operator's
// JSON. Versioned: saving a journey again makes a new version; running enrolments keep the version they started on.

/// <summary>One version of a journey of one corp. Steps run in order; each step's delay counts from the enrolment.</summary>
internal sealed record JourneyDefinition(
    string Corp,
    string Id,
    int Version,
    string Name,
    bool Active,
    JourneyTrigger Trigger,
    IReadOnlyList<JourneyStep> Steps,
    IReadOnlyList<JourneyExit> Exits,
    DateTimeOffset CreatedAt,
    JsonElement Source);

/// <summary>
/// What enrols a contact (<see cref="JourneyTriggerKinds"/>): State for contactAdded (null: any channel), TagId for
/// tagAdded, Account for followerSubscribed, Stage for stageChanged, SegmentId for segmentEntered; enrolCall: only
/// the CRM's enrol call. A contact is enrolled at most once per journey while an enrolment of it runs.
/// </summary>
internal sealed record JourneyTrigger(string Kind, string? State, string? TagId, string? Account, string? Stage, Guid? SegmentId);

internal static class JourneyTriggerKinds
{
    public const string ContactAdded = "contactAdded";
    public const string TagAdded = "tagAdded";
    public const string FollowerSubscribed = "followerSubscribed";
    public const string StageChanged = "stageChanged";
    public const string SegmentEntered = "segmentEntered";
    public const string EnrolCall = "enrolCall";
}

/// <summary>
/// A step: due Delay after the enrolment; with At, at the first At (local time of day in the journey's corp time
/// zone, Dispatch:Policy TimeZone) on or after that. It runs when every condition holds, else it is skipped with the
/// reason and the journey goes on.
/// </summary>
internal sealed record JourneyStep(string Id, TimeSpan Delay, TimeOnly? At, IReadOnlyList<JourneyCondition> Conditions, JourneyAction Action);

/// <summary>
/// A condition on the contact when the step is due: Filter, a segment filter (tags, stage, in group, burst flag,
/// last active …) that must hold for the contact; or InteractedSinceEnrolment (true: must have interacted since
/// the enrolment; false: must not have).
/// </summary>
internal sealed record JourneyCondition(SegmentFilter? Filter, bool? InteractedSinceEnrolment);

/// <summary>
/// What a step does (<see cref="JourneyActionKinds"/>). customerTask: a 1v1 customer task to the contact from the
/// employee it was added by (Text, Attachments); employeeReminder: an app message to that employee through App
/// (Text); template: an Official Account template message to the follower linked by unionid through Account
/// (TemplateId, Data, Url); tag / untag: the contact's corp tag TagId; wait: until EventKind is seen for the contact
/// or Timeout passes (then the next step).
/// </summary>
internal sealed record JourneyAction(
    string Kind,
    string? Text = null,
    JsonElement? Attachments = null,
    string? App = null,
    string? Account = null,
    string? TemplateId = null,
    IReadOnlyDictionary<string, string>? Data = null,
    string? Url = null,
    string? TagId = null,
    string? EventKind = null,
    TimeSpan? Timeout = null);

internal static class JourneyActionKinds
{
    public const string CustomerTask = "customerTask";
    public const string EmployeeReminder = "employeeReminder";
    public const string Template = "template";
    public const string Tag = "tag";
    public const string Untag = "untag";
    public const string Wait = "wait";
}

/// <summary>What ends an enrolment early (<see cref="JourneyExitKinds"/>); TagId for tagAdded.</summary>
internal sealed record JourneyExit(string Kind, string? TagId);

internal static class JourneyExitKinds
{
    public const string ContactDeleted = "contactDeleted";
    public const string Suppressed = "suppressed";
    public const string TagAdded = "tagAdded";
    public const string ExitCall = "exitCall";
}

using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool;
using WecomBridge.Sending.Limits;

namespace WecomBridge.Journeys.Views;

/// <summary>
/// A dry run of a journey for one contact: the runner's own schedule, exits, conditions and recipients, evaluated on what
/// the pool holds now, with nothing sent and nothing written. Conditions are those of now (not of each step's due time):
/// the pool cannot know the contact's future.
/// </summary>
internal static class JourneyPreview
{
    public static JourneyDryRun Run(JourneyDefinition journey, string externalUserId, PoolContact? contact, DateTimeOffset enrolledAt,
        DateTimeOffset now, SendPolicyOptions policy, bool? suppressed, bool running)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(policy.TimeZone);
        // The runner's member: the enrolment's follow user, else the first member who still has the contact.
        var member = contact?.Relations.FirstOrDefault(r => r.DeletedAt is null)?.UserId;
        var inPool = contact is not null && member is not null;
        var exit = !inPool && Exits(journey, JourneyExitKinds.ContactDeleted) ? JourneyExitKinds.ContactDeleted
            : suppressed == true && Exits(journey, JourneyExitKinds.Suppressed) ? JourneyExitKinds.Suppressed : null;
        var steps = new List<DryRunStep>(journey.Steps.Count);
        for (var i = 0; i < journey.Steps.Count; i++)
        {
            var step = journey.Steps[i];
            var due = JourneySchedule.DueAt(step, enrolledAt, zone);
            var quiet = step.Action.Kind == JourneyActionKinds.CustomerTask ? QuietHours.DeferUntil(due, policy) : null;
            var (action, unreachable) = Action(step.Action, externalUserId, member, contact);
            var reason = exit is not null ? $"the enrolment would exit first ({exit})"
                : !inPool ? "contact not in the pool"
                : JourneyConditions.FirstUnmet(step, contact!, enrolledAt, now) ?? unreachable;
            steps.Add(new DryRunStep(i, step.Id, due, i > 0 && journey.Steps[i - 1].Action.Kind == JourneyActionKinds.Wait, quiet,
                reason is null, reason, action));
        }
        return new JourneyDryRun(journey.Id, journey.Corp, journey.Version, journey.Active, externalUserId, enrolledAt, now, policy.TimeZone,
            inPool, suppressed, running, exit, steps);
    }

    /// <summary>The action with its recipient as the runner would pick it; the reason it would be skipped when it has none.</summary>
    private static (DryRunAction Action, string? Unreachable) Action(JourneyAction a, string externalUserId, string? member, PoolContact? contact)
    {
        const string noMember = "no member has the contact";
        switch (a.Kind)
        {
            case JourneyActionKinds.CustomerTask:
                return (new DryRunAction(a.Kind, true, member, externalUserId, null, null, null, null, null, null), member is null ? noMember : null);
            case JourneyActionKinds.EmployeeReminder:
                return (new DryRunAction(a.Kind, true, member, null, null, a.App, null, null, null, null), member is null ? noMember : null);
            case JourneyActionKinds.Template:
                var openId = contact?.Followers.FirstOrDefault(f => f.Subscribed
                    && string.Equals(f.Account, a.Account, StringComparison.OrdinalIgnoreCase))?.OpenId;
                return (new DryRunAction(a.Kind, true, null, null, openId, null, a.Account, a.TemplateId, null, null),
                    openId is null ? "no subscribed follower of the account" : null);
            case JourneyActionKinds.Tag or JourneyActionKinds.Untag:
                return (new DryRunAction(a.Kind, false, member, externalUserId, null, null, null, null, a.TagId, null),
                    member is null ? noMember : null);
            default:
                return (new DryRunAction(a.Kind, false, null, null, null, null, null, null, null, a.EventKind), null);
        }
    }

    private static bool Exits(JourneyDefinition journey, string kind) => journey.Exits.Any(x => x.Kind == kind);
}

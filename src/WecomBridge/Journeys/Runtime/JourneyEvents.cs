using System.Text;
using WecomBridge.Contracts.Journeys;
using WecomBridge.Messaging;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Journeys.Runtime;

/// <summary>The runner's events as outbox rows, each id derived from the enrolment (and step), so a repeat carries the same id.</summary>
internal static class JourneyEvents
{
    public const string Completed = "completed";

    public static OutboxEvent Enrolled(Enrolment e, string trigger)
    {
        var id = EventIds.Of($"journey-enrolled:{e.Id}");
        return Row(new JourneyEnrolled(id, e.Corp, e.JourneyId, e.Version, e.Id.ToString(), e.ExternalUserId, e.FollowUser, trigger,
            e.Source, e.EnrolledAt), id, e.EnrolledAt);
    }

    public static OutboxEvent Step(Enrolment e, StepRecord r)
    {
        var id = EventIds.Of($"journey-step:{e.Id}:{r.StepIndex}");
        object message = r.Outcome == StepOutcomes.Taken
            ? new JourneyStepTaken(id, e.Corp, e.JourneyId, e.Version, e.Id.ToString(), e.ExternalUserId, r.StepIndex, r.StepId, r.Action,
                r.MessageId, r.At)
            : new JourneyStepSkipped(id, e.Corp, e.JourneyId, e.Version, e.Id.ToString(), e.ExternalUserId, r.StepIndex, r.StepId,
                r.Reason ?? r.Outcome, r.Outcome == StepOutcomes.Failed, r.At);
        return Row(message, id, r.At);
    }

    public static OutboxEvent Exited(Enrolment e, string reason, DateTimeOffset at)
    {
        var id = EventIds.Of($"journey-exited:{e.Id}");
        return Row(new JourneyExited(id, e.Corp, e.JourneyId, e.Version, e.Id.ToString(), e.ExternalUserId, reason, at), id, at);
    }

    private static OutboxEvent Row(object message, string id, DateTimeOffset at) =>
        new(id, message.GetType().FullName!, Encoding.UTF8.GetString(EventJson.Serialize(message)), at);
}

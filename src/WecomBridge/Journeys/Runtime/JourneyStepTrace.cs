using System.Diagnostics;
using WecomBridge.Observability.Tracing;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// The `journey step` activity: a child of the context the enrolment was made in (Enrolment.TraceParent), recorded
/// when a listener samples it (an exporter), else bare and carrying the ids only, so that the step's send (its
/// command's `traceparent`) and its calls to WeCom stay in the contact's trace. None without a stored context.
/// Tags hold ids and outcomes, never texts.
/// </summary>
internal static class JourneyStepTrace
{
    public static Activity? Start(ClaimedStep claimed)
    {
        var activity = TraceContext.Continue("journey step", ActivityKind.Internal, TraceContext.Parse(claimed.Enrolment.TraceParent));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("wecombridge.enrolment_id", claimed.Enrolment.Id.ToString("N"));
            activity.SetTag("wecombridge.journey", claimed.Enrolment.JourneyId);
            activity.SetTag("wecombridge.step", claimed.StepId);
        }
        return activity;
    }

    public static void Result(Activity? activity, ActionResult result)
    {
        if (activity is not { IsAllDataRequested: true }) return;
        activity.SetTag("wecombridge.message_id", result.MessageId);
        activity.SetTag("wecombridge.outcome", result.DeferUntil is not null ? "deferred" : !result.Done ? "retry"
            : result.Failed ? StepOutcomes.Failed : result.Reason is null ? StepOutcomes.Taken : StepOutcomes.Skipped);
    }
}

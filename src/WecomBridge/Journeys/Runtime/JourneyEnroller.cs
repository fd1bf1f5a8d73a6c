using Microsoft.Extensions.Options;
using WecomBridge.Observability.Tracing;
using WecomBridge.Sending.Limits;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Enrols one contact in one journey version: the enrolment at the current time with its first step's timer (due its
/// delay after now, with `at` in the corp's time zone). The source (an event id, the CRM's request id) makes a repeat
/// change nothing; a contact with a running enrolment in the journey is not enrolled again. The enrolment keeps the
/// current trace context (docs/tracing.md).
/// </summary>
internal sealed partial class JourneyEnroller(
    IJourneyStore store, IOptionsMonitor<SendPolicyOptions> policies, TimeProvider time, ILogger<JourneyEnroller> logger)
{
    public async Task<(EnrolOutcome Outcome, Enrolment Enrolment)> EnrolAsync(JourneyDefinition journey, string externalUserId,
        string? followUser, string source, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // In the trace of what enrols (the pool event's, the CRM's request): the contact's steps and sends go on in it.
        var enrolment = new Enrolment(Guid.CreateVersion7(now), journey.Corp, journey.Id, journey.Version, externalUserId, followUser, source, now,
            TraceParent: TraceContext.Current());
        var zone = TimeZoneInfo.FindSystemTimeZoneById(policies.Get(journey.Corp).TimeZone);
        var outcome = await store.EnrolAsync(enrolment, journey.Trigger.Kind, JourneySchedule.Next(journey, 0, now, zone), ct);
        if (outcome == EnrolOutcome.Enrolled) Log.Enrolled(logger, enrolment.Id, journey.Corp, journey.Id, journey.Version, journey.Trigger.Kind);
        else Log.NotEnrolled(logger, journey.Corp, journey.Id, outcome);
        return (outcome, enrolment);
    }

    private static partial class Log
    {
        [LoggerMessage(1920, LogLevel.Information, "Journey enrolment {EnrolmentId}: corp {Corp} journey {JourneyId} version {Version} ({Trigger})")]
        public static partial void Enrolled(ILogger logger, Guid enrolmentId, string corp, string journeyId, int version, string trigger);

        [LoggerMessage(1921, LogLevel.Debug, "Journey {JourneyId} of corp {Corp}: not enrolled ({Outcome})")]
        public static partial void NotEnrolled(ILogger logger, string corp, string journeyId, EnrolOutcome outcome);
    }
}

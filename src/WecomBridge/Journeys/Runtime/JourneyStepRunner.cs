using Microsoft.Extensions.Options;
using WecomBridge.Journeys.Views;
using WecomBridge.Pool;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Suppression;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Takes one claimed step: the journey's version, the contact in the pool, the exits that apply now (deleted,
/// suppressed), the step's conditions (a condition not met skips the step with its reason) and the action; then moves
/// the timer to the next step. A failed action is released with a doubling delay until Journeys:MaxAttempts, then
/// recorded failed and the journey goes on; a quiet-hours deferral keeps the step for their end.
/// </summary>
internal sealed partial class JourneyStepRunner(
    IJourneyStore store, IJourneyDefinitionStore definitions, IPoolStore pool, ISuppressionList suppression, JourneyActions actions,
    IOptionsMonitor<JourneyRuntimeOptions> options, IOptionsMonitor<SendPolicyOptions> policies, TimeProvider time,
    ILogger<JourneyStepRunner> logger, JourneyMetrics? metrics = null)
{
    public async Task RunAsync(string owner, ClaimedStep claimed, CancellationToken ct)
    {
        // Under the context the enrolment was made in (the triggering event's): the step's send and calls carry it on.
        using var activity = JourneyStepTrace.Start(claimed);
        await TakeAsync(owner, claimed, activity, ct);
    }

    private async Task TakeAsync(string owner, ClaimedStep claimed, System.Diagnostics.Activity? activity, CancellationToken ct)
    {
        var e = claimed.Enrolment;
        var now = time.GetUtcNow();
        var journey = await definitions.GetAsync(e.Corp, e.JourneyId, e.Version, ct);
        if (journey is null || claimed.StepIndex >= journey.Steps.Count)
        {
            await ExitAsync(e, "journeyMissing", now, ct);
            return;
        }
        var step = journey.Steps[claimed.StepIndex];
        var contact = await pool.GetContactAsync(e.Corp, e.ExternalUserId, ct);
        if (contact is null || contact.Relations.All(r => r.DeletedAt is not null))
        {
            if (Exits(journey, JourneyExitKinds.ContactDeleted)) await ExitAsync(e, JourneyExitKinds.ContactDeleted, now, ct);
            else await FinishAsync(owner, claimed, journey, Record(claimed, step, StepOutcomes.Skipped, "contact not in the pool", null, now), ct);
            return;
        }
        if (Exits(journey, JourneyExitKinds.Suppressed) && await SuppressedAsync(e, ct))
        {
            await ExitAsync(e, JourneyExitKinds.Suppressed, now, ct);
            return;
        }
        if (JourneyConditions.FirstUnmet(step, contact, e.EnrolledAt, now) is { } unmet)
        {
            await FinishAsync(owner, claimed, journey, Record(claimed, step, StepOutcomes.Skipped, unmet, null, now), ct);
            return;
        }
        ActionResult result;
        try
        {
            result = await actions.RunAsync(claimed, step.Action, contact, now, ct);
        }
        catch (Exception x) when (x is not OperationCanceledException)
        {
            Log.ActionFailed(logger, e.Id, claimed.StepIndex, x.GetType().Name);
            result = ActionResult.Retry with { Reason = x.GetType().Name };
        }
        JourneyStepTrace.Result(activity, result);
        if (result.DeferUntil is { } until)
        {
            Log.Deferred(logger, e.Id, claimed.StepIndex, until);
            await store.ReleaseAsync(owner, claimed, until, failed: false, ct);
        }
        else if (result.Done)
            await FinishAsync(owner, claimed, journey, Record(claimed, step,
                result.Failed ? StepOutcomes.Failed : result.Reason is null ? StepOutcomes.Taken : StepOutcomes.Skipped,
                result.Reason, result.MessageId, now), ct, step.Action);
        else if (claimed.Attempts >= options.CurrentValue.MaxAttempts)
            await FinishAsync(owner, claimed, journey, Record(claimed, step, StepOutcomes.Failed,
                $"failed after {claimed.Attempts} attempts ({result.Reason ?? "not queued"})", null, now), ct);
        else
        {
            var delay = options.CurrentValue.RetryDelay * Math.Pow(2, Math.Min(claimed.Attempts - 1, 16));
            await store.ReleaseAsync(owner, claimed, now + delay, failed: true, ct);
        }
    }

    private static StepRecord Record(ClaimedStep c, JourneyStep step, string outcome, string? reason, string? messageId, DateTimeOffset at) =>
        new(c.StepIndex, step.Id, outcome, reason, messageId, at, step.Action.Kind);

    private async Task FinishAsync(string owner, ClaimedStep claimed, JourneyDefinition journey, StepRecord record, CancellationToken ct,
        JourneyAction? taken = null)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(policies.Get(claimed.Enrolment.Corp).TimeZone);
        var next = taken is { Kind: JourneyActionKinds.Wait } wait && record.Outcome == StepOutcomes.Taken
            ? JourneySchedule.Next(journey, claimed.StepIndex + 1, claimed.Enrolment.EnrolledAt, zone, wait.EventKind,
                record.At + (wait.Timeout ?? TimeSpan.FromDays(365)))
            : JourneySchedule.Next(journey, claimed.StepIndex + 1, claimed.Enrolment.EnrolledAt, zone);
        if (await store.CompleteAsync(owner, claimed, record, next, ct))
        {
            Log.Step(logger, claimed.Enrolment.Id, claimed.StepIndex, record.Outcome);
            metrics?.StepFinished(claimed.Enrolment.Corp, claimed.Enrolment.JourneyId, record.Outcome, claimed.StepDueAt, record.At,
                afterWait: claimed.StepIndex > 0 && journey.Steps[claimed.StepIndex - 1].Action.Kind == JourneyActionKinds.Wait);
        }
        else Log.LeaseLost(logger, claimed.Enrolment.Id, claimed.StepIndex);
    }

    private async Task ExitAsync(Enrolment e, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (await store.ExitAsync(e.Id, reason, now, ct)) Log.Exited(logger, e.Id, reason);
    }

    private static bool Exits(JourneyDefinition journey, string kind) => journey.Exits.Any(x => x.Kind == kind);

    private async Task<bool> SuppressedAsync(Enrolment e, CancellationToken ct)
    {
        var keys = new List<string> { SuppressionScopes.AnyMember(e.ExternalUserId) };
        if (e.FollowUser is { } member) keys.Add(SuppressionScopes.Pair(member, e.ExternalUserId));
        return (await suppression.FindManyAsync(SuppressionScopes.WeCom(e.Corp), keys)).Count > 0;
    }

    private static partial class Log
    {
        [LoggerMessage(1900, LogLevel.Debug, "Journey enrolment {EnrolmentId} step {StepIndex}: {Outcome}")]
        public static partial void Step(ILogger logger, Guid enrolmentId, int stepIndex, string outcome);

        [LoggerMessage(1901, LogLevel.Warning, "Journey enrolment {EnrolmentId} step {StepIndex}: action failed ({Error}); tried again later")]
        public static partial void ActionFailed(ILogger logger, Guid enrolmentId, int stepIndex, string error);

        [LoggerMessage(1902, LogLevel.Information, "Journey enrolment {EnrolmentId} step {StepIndex}: deferred to {Until} (quiet hours)")]
        public static partial void Deferred(ILogger logger, Guid enrolmentId, int stepIndex, DateTimeOffset until);

        [LoggerMessage(1903, LogLevel.Warning, "Journey enrolment {EnrolmentId} step {StepIndex}: lease taken over; the other runner records it")]
        public static partial void LeaseLost(ILogger logger, Guid enrolmentId, int stepIndex);

        [LoggerMessage(1904, LogLevel.Information, "Journey enrolment {EnrolmentId} exited ({Reason})")]
        public static partial void Exited(ILogger logger, Guid enrolmentId, string reason);
    }
}

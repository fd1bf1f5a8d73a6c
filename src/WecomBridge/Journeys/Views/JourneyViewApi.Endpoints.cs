using System.Globalization;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool;
using WecomBridge.WeCom;
using static WecomBridge.Journeys.JourneyRoutes;

namespace WecomBridge.Journeys.Views;

/// <summary>The progress and history handlers.</summary>
internal static partial class JourneyViewApi
{
    private static async Task<IResult> Progress(string corp, string id, HttpContext context, IJourneyDefinitionStore definitions,
        IOptionsMonitor<WeComOptions> wecom, CancellationToken ct)
    {
        if (!TryJourney(wecom, corp, id, out var name, out var badRoute)) return badRoute;
        var (store, unavailable) = Store(context);
        if (store is null) return unavailable!;
        if (await definitions.GetAsync(name, id, ct: ct) is not { } journey) return NotFound(NoSuchJourney);
        var counts = await store.CountAsync(name, id, ct);
        // The latest version's steps in their order, then steps only older versions had (their enrolments still run).
        var ids = journey.Steps.Select(s => s.Id).Concat(counts.Steps.Keys.Except(journey.Steps.Select(s => s.Id)).Order(StringComparer.Ordinal));
        var steps = ids.Select(s => counts.Steps.GetValueOrDefault(s) is { } c
            ? new JourneyStepProgress(s, c.Due, c.Taken, c.Skipped, c.Failed) : new JourneyStepProgress(s, 0, 0, 0, 0)).ToList();
        return TypedResults.Ok(new JourneyProgress(id, name, counts.Enrolled, counts.Active, counts.Completed, counts.Exited, steps));
    }

    private static async Task<IResult> History(string corp, [WeComId(PoolApi.IdLength)] string externalUserId, HttpContext context,
        IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<JourneyRuntimeOptions> options, CancellationToken ct)
    {
        if (Corp(wecom, corp) is not { } name) return NotFound(NoSuchCorp);
        var max = options.CurrentValue.MaxHistory;
        var given = context.Request.Query["limit"];
        var limit = Math.Min(DefaultHistory, max);
        if (given.Count > 0)
        {
            if (given.Count > 1 || given[0] is not { Length: > 0 and <= 5 } text
                || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > max)
                return JsonBody.Invalid("limit", $"limit is one number from 1 to {max} (Journeys:MaxHistory).");
        }
        var (store, unavailable) = Store(context);
        if (store is null) return unavailable!;
        var history = await store.HistoryAsync(name, externalUserId, limit, ct);
        return TypedResults.Ok(new ContactJourneys(name, externalUserId, [.. history.Select(h => new ContactEnrolment(
            h.Enrolment.Id.ToString(), h.Enrolment.JourneyId, h.Enrolment.Version, h.Enrolment.State, h.Enrolment.Source, h.Enrolment.FollowUser,
            h.Enrolment.EnrolledAt, h.Enrolment.EndedAt, h.Enrolment.ExitReason,
            [.. h.Steps.Select(s => new ContactStep(s.StepIndex, s.StepId, s.Outcome, s.Reason, s.MessageId, s.At))],
            h.Next is { } n ? new ContactNextStep(n.StepIndex, n.StepId, n.DueAt, n.WaitingFor) : null))]));
    }
}

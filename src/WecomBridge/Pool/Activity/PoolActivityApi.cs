using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WecomBridge.Api;
using WecomBridge.Journeys.Triggers;
using WecomBridge.Messaging;

namespace WecomBridge.Pool.Activity;

/// <summary>
/// Interactions a CRM reports (a purchase, a click on its own page, …): POST one with its kind and time; the newer
/// interaction wins. Only for a contact or follower the pool knows (404 otherwise: nothing is recorded, so that a
/// mistyped id never makes a row). With an id, a repeat is recognised and changes nothing.
/// </summary>
internal static class PoolActivityApi
{
    /// <summary>A report is a few short fields: 4 KiB is plenty, anything larger is refused before reading it.</summary>
    public const long BodyLimit = 4096;

    public static RouteGroupBuilder MapPoolActivityApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/pool/{corp}/contacts").RequireCorpScope().WithTags("Pool")
            .MapPost("/{externalUserId}/interactions", ReportContact).WithMetadata(new ApiBodyLimit(BodyLimit))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapGroup("/pool/oa/{account}/followers").RequireAccountScope().WithTags("Pool")
            .MapPost("/{openId}/interactions", ReportFollower).WithMetadata(new ApiBodyLimit(BodyLimit))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return api;
    }

    /// <summary>Records that the contact interacted: `kind` (e.g. purchase), `at` (ISO 8601), `id` (optional: makes a repeat a no-op).</summary>
    private static Task<Results<Ok<PoolInteractionResult>, ValidationProblem, ProblemHttpResult>> ReportContact(string corp,
        [WeComId(PoolApi.IdLength)] string externalUserId, InteractionRequest? body, TimeProvider time, IPoolActivityStore store,
        [FromServices] JourneyTriggers? journeys, CancellationToken ct) =>
        Report(body, time, store, $"contact:{corp}:{externalUserId}", (at, kind) => new ContactInteraction(corp, externalUserId, at, kind),
            "No such contact in the pool.", ct, journeys);

    /// <summary>Records that the follower interacted: `kind`, `at` (ISO 8601), `id` (optional: makes a repeat a no-op).</summary>
    private static Task<Results<Ok<PoolInteractionResult>, ValidationProblem, ProblemHttpResult>> ReportFollower(string account,
        [WeComId(PoolApi.IdLength)] string openId, InteractionRequest? body, TimeProvider time, IPoolActivityStore store, CancellationToken ct) =>
        Report(body, time, store, $"follower:{account}:{openId}", (at, kind) => new FollowerInteraction(account, openId, at, kind),
            "No such follower in the pool.", ct);

    private static async Task<Results<Ok<PoolInteractionResult>, ValidationProblem, ProblemHttpResult>> Report(InteractionRequest? body,
        TimeProvider time, IPoolActivityStore store, string subject, Func<DateTimeOffset, string, PoolChange> change, string unknown,
        CancellationToken ct, JourneyTriggers? journeys = null)
    {
        if (!InteractionRequest.TryParse(body, time.GetUtcNow(), out var report, out var errors)) return TypedResults.ValidationProblem(errors);
        // The id names the interaction within its contact; without one each report is a new interaction.
        var eventId = report.Id is { } id ? EventIds.Of($"interaction:{subject}:{id}") : Guid.NewGuid().ToString("N");
        var outcome = await store.ReportAsync(eventId, change(report.At, report.Kind), ct);
        if (outcome.Status == ReportStatus.Unknown)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: unknown);
        // A journey's `wait` step for this kind of interaction (or any) goes on now.
        if (outcome.Status == ReportStatus.Applied && journeys is not null && change(report.At, report.Kind) is ContactInteraction c)
            await journeys.WakeAsync(c.Corp, c.ExternalUserId, c.Kind, ct);
        return TypedResults.Ok(new PoolInteractionResult(outcome.Status == ReportStatus.Applied, outcome.LastInteractionAt,
            outcome.LastInteractionKind, outcome.Stage));
    }
}

/// <summary>
/// Applied: false when a report with the same id was applied before (nothing changed). The activity afterwards: the
/// newest interaction (which may be another, newer one) and, for a contact, its stage.
/// </summary>
public sealed record PoolInteractionResult(bool Applied, DateTimeOffset? LastInteractionAt, string? LastInteractionKind, string? Stage);

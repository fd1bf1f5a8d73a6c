using WecomBridge.Api;
using WecomBridge.Journeys.Runtime;

namespace WecomBridge.Journeys.Views;

/// <summary>
/// The read side of running journeys (docs/journeys.md, "Watching journeys"): a journey's progress, a contact's journey
/// history and a dry run. Behind the API keys and their corp scope. They read the journey store the dispatcher's
/// journey runtime registers; without it (journeys not running) each answers 503 with a problem that says so.
/// </summary>
internal static partial class JourneyViewApi
{
    /// <summary>Dry-run bodies: one contact id and a time; anything much larger is not a dry-run request.</summary>
    public const int DryRunBodyBytes = 4 * 1024;
    public const int DefaultHistory = 20;

    public static RouteGroupBuilder MapJourneyViewApi(this RouteGroupBuilder api)
    {
        var journeys = api.MapGroup("/journeys/{corp}").RequireCorpScope().WithTags("Journeys").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        journeys.MapGet("/{id}/progress", Progress).Produces<JourneyProgress>();
        journeys.MapGet("/contacts/{externalUserId}", History).Produces<ContactJourneys>();
        journeys.MapPost("/{id}/dry-run", DryRun).WithMetadata(new ApiBodyLimit(DryRunBodyBytes))
            .Accepts<DryRunRequest>("application/json").Produces<JourneyDryRun>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    /// <summary>The running journeys' store, or the 503 that says journeys do not run on this dispatcher.</summary>
    private static (IJourneyStore? Store, IResult? Unavailable) Store(HttpContext context) =>
        context.RequestServices.GetService<IJourneyStore>() is { } store ? (store, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Journeys are not running",
                detail: "This dispatcher does not run journeys (no journey store): progress, history and dry runs are unavailable."));

    private static partial class Log
    {
        [LoggerMessage(1971, LogLevel.Information, "Journey {JourneyId} of corp {Corp}: dry run for a contact ({Steps} steps, none taken)")]
        public static partial void DryRun(ILogger logger, string journeyId, string corp, int steps);
    }
}

using WecomBridge.Api;
using WecomBridge.Journeys.Runtime;

namespace WecomBridge.Journeys.Enrolments;

/// <summary>
/// The CRM's enrol and exit calls (docs/journeys.md, "Running journeys"): POST …/journeys/{corp}/{id}/enrolments enrols
/// one contact of the pool in the latest active version; POST …/exits ends a running enrolment with the reason exitCall,
/// only where the enrolment's version declares that exit. Behind the API keys and their corp scope, tag Journeys.
/// </summary>
internal static partial class JourneyEnrolmentApi
{
    /// <summary>A few short fields: anything larger is refused before it is read.</summary>
    public const int BodyBytes = 4096;

    public static RouteGroupBuilder MapJourneyEnrolmentApi(this RouteGroupBuilder api)
    {
        var journeys = api.MapGroup("/journeys/{corp}/{id}").RequireCorpScope().WithTags("Journeys").WithMetadata(new ApiBodyLimit(BodyBytes))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        journeys.MapPost("/enrolments", Enrol).Accepts<JourneyEnrolRequest>("application/json")
            .Produces<JourneyEnrolmentAnswer>(StatusCodes.Status201Created).Produces<JourneyEnrolmentAnswer>();
        journeys.MapPost("/exits", Exit).Accepts<JourneyExitRequest>("application/json").Produces<JourneyEnrolmentAnswer>();
        return api;
    }

    private static readonly JsonBody Reader = new(BodyBytes, 4, $"Enrol and exit calls take at most {BodyBytes} bytes.",
        "The body must be a JSON object.");

    private static JourneyEnrolmentAnswer Answer(Enrolment e) => new(e.Id.ToString(), e.Corp, e.JourneyId, e.Version, e.ExternalUserId,
        e.FollowUser, e.Source, e.State, e.EnrolledAt, e.ExitReason, e.EndedAt);

    private static partial class Log
    {
        [LoggerMessage(1926, LogLevel.Information, "Journey enrolment {EnrolmentId} of corp {Corp} journey {JourneyId}: {Change} by the CRM")]
        public static partial void Changed(ILogger logger, Guid enrolmentId, string corp, string journeyId, string change);
    }
}

/// <summary>externalUserId: a contact in the pool; requestId (optional, 1–128 characters): a repeat with it is answered with the first.</summary>
public sealed record JourneyEnrolRequest(string ExternalUserId, string? RequestId);

/// <summary>Either externalUserId (its running enrolment in the journey) or enrolmentId.</summary>
public sealed record JourneyExitRequest(string? ExternalUserId, string? EnrolmentId);

/// <summary>
/// One enrolment: state running, completed or exited (exitReason then); source the requestId as `request:{requestId}`
/// (or the id of the event that enrolled it); followUser the member its tasks go through.
/// </summary>
public sealed record JourneyEnrolmentAnswer(string EnrolmentId, string Corp, string Journey, int Version, string ExternalUserId,
    string? FollowUser, string Source, string State, DateTimeOffset EnrolledAt, string? ExitReason, DateTimeOffset? EndedAt);

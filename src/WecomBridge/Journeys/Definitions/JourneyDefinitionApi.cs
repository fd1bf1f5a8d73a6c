using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using WecomBridge.Api;
using WecomBridge.Pool.Segments;
using WecomBridge.WeCom;

namespace WecomBridge.Journeys.Definitions;

/// <summary>
/// Journey definitions of a corp (docs/journeys.md, "Defining journeys"): create, replace (a new version), list the
/// latest versions, read one version, deactivate (a new, inactive version). Behind the API keys and their corp scope;
/// a journey naming an Official Account needs that account in the key's scope too.
/// </summary>
internal static partial class JourneyDefinitionApi
{
    public static RouteGroupBuilder MapJourneyDefinitionApi(this RouteGroupBuilder api)
    {
        var journeys = api.MapGroup("/journeys/{corp}").RequireCorpScope().WithTags("Journeys")
            .WithMetadata(new ApiBodyLimit(JourneyLimits.BodyBytes)).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        journeys.MapPost("/", Create).Accepts<JourneyRequest>("application/json").Produces<JourneyVersion>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        journeys.MapGet("/", List).Produces<JourneyList>();
        journeys.MapGet("/{id}", Get).Produces<JourneyVersion>();
        journeys.MapPut("/{id}", Update).Accepts<JourneyRequest>("application/json").Produces<JourneyVersion>()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        journeys.MapDelete("/{id}", Delete).Produces<JourneyVersion>();
        return api;
    }

    /// <summary>?version=N: absent is the latest; anything but one positive number is a 400.</summary>
    private static (int? Version, IResult? Invalid) Version(HttpRequest request)
    {
        var given = request.Query["version"];
        if (given.Count == 0) return (null, null);
        return given.Count == 1 && given[0] is { Length: > 0 and <= 10 } text
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? (version, null) : (null, JourneyBody.Invalid("version", "version is one positive number, as a journey version."));
    }

    /// <summary>
    /// What the JSON alone cannot tell: a 403 unless the key may use every Official Account the journey names; 400 for an
    /// app the corp has not configured or a segment the corp does not have.
    /// </summary>
    private static async Task<IResult?> References(JourneyDefinition journey, ClaimsPrincipal user, WeComOptions wecom,
        ISegmentStore segments, CancellationToken ct)
    {
        if (!JourneyReferences.Accounts(journey).All(user.MayUseAccount)) return ApiClaims.OutOfScope("account");
        var errors = new Dictionary<string, string[]>();
        var apps = wecom.Corps[journey.Corp].Apps;
        for (var i = 0; i < journey.Steps.Count; i++)
            if (journey.Steps[i].Action.App is { } app && !apps.ContainsKey(app))
                errors[$"steps[{i}].action.app"] = ["is not an app of this corp (WeCom:Corps:…:Apps)."];
        if (journey.Trigger.SegmentId is { } segment && await segments.GetSegmentAsync(journey.Corp, segment, ct) is null)
            errors["trigger.segmentId"] = ["is not a segment of this corp."];
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    private static JourneyVersion Answer(JourneyDefinition d) => new(d.Corp, d.Id, d.Version, d.Name, d.Active, d.CreatedAt, d.Source);

    private static partial class Log
    {
        [LoggerMessage(1960, LogLevel.Information, "Journey {JourneyId} of corp {Corp} {Change}: version {Version}")]
        public static partial void Changed(ILogger logger, string journeyId, string corp, string change, int version);
    }
}

/// <summary>
/// A journey as POST and PUT take it (docs/journeys.md): id (in POST; in PUT the URL's), name, description, active
/// (default true), trigger, steps, exits.
/// </summary>
public sealed record JourneyRequest(
    string? Id, string Name, string? Description, bool? Active, JsonElement Trigger, IReadOnlyList<JsonElement> Steps,
    IReadOnlyList<JsonElement>? Exits);

/// <summary>One stored version; Definition is the journey's JSON as accepted (id and active set), fit to PUT back.</summary>
public sealed record JourneyVersion(string Corp, string Id, int Version, string Name, bool Active, DateTimeOffset CreatedAt,
    JsonElement Definition);

/// <summary>The latest version of each of the corp's journeys, by id.</summary>
public sealed record JourneyList(IReadOnlyList<JourneyVersion> Items);

using System.Security.Claims;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Pool.Segments;
using WecomBridge.WeCom;
using static WecomBridge.Journeys.JourneyRoutes;

namespace WecomBridge.Journeys.Definitions;

/// <summary>The handlers of the definition routes.</summary>
internal static partial class JourneyDefinitionApi
{
    private static async Task<IResult> Create(string corp, HttpRequest request, ClaimsPrincipal user, IJourneyDefinitionStore store,
        ISegmentStore segments, IOptionsMonitor<WeComOptions> wecom, ILoggerFactory logs, CancellationToken ct)
    {
        if (Corp(wecom, corp) is not { } name) return NotFound(NoSuchCorp);
        var (body, refused) = await JourneyBody.ReadAsync(request, ct);
        if (refused is not null) return refused;
        using (body)
        {
            if (JourneyReader.Read(body!.RootElement, name, null, out var errors) is not { } journey) return TypedResults.ValidationProblem(errors);
            if (await References(journey, user, wecom.CurrentValue, segments, ct) is { } failed) return failed;
            if (await store.GetAsync(name, journey.Id, ct: ct) is not null)
                return Conflict("Journey exists", "A journey with this id exists; PUT …/journeys/{corp}/{id} saves a new version of it.");
            if ((await store.ListAsync(name, ct)).Count >= JourneyLimits.JourneysPerCorp)
                return Conflict("Too many journeys", $"A corp keeps at most {JourneyLimits.JourneysPerCorp} journeys.");
            var saved = await store.SaveAsync(journey, ct);
            Log.Changed(logs.CreateLogger(typeof(JourneyDefinitionApi)), saved.Id, name, "created", saved.Version);
            return TypedResults.Created($"/api/v1/journeys/{Uri.EscapeDataString(name)}/{saved.Id}", Answer(saved));
        }
    }

    private static async Task<IResult> List(string corp, IJourneyDefinitionStore store, IOptionsMonitor<WeComOptions> wecom,
        CancellationToken ct) =>
        Corp(wecom, corp) is { } name ? TypedResults.Ok(new JourneyList([.. (await store.ListAsync(name, ct)).Select(Answer)]))
            : NotFound(NoSuchCorp);

    private static async Task<IResult> Get(string corp, string id, HttpRequest request, IJourneyDefinitionStore store,
        IOptionsMonitor<WeComOptions> wecom, CancellationToken ct)
    {
        if (!TryJourney(wecom, corp, id, out var name, out var badRoute)) return badRoute;
        var (version, invalid) = Version(request);
        if (invalid is not null) return invalid;
        return await store.GetAsync(name, id, version, ct) is { } journey ? TypedResults.Ok(Answer(journey))
            : NotFound(version is null ? NoSuchJourney : "No such journey or version.");
    }

    private static async Task<IResult> Update(string corp, string id, HttpRequest request, ClaimsPrincipal user,
        IJourneyDefinitionStore store, ISegmentStore segments, IOptionsMonitor<WeComOptions> wecom, ILoggerFactory logs, CancellationToken ct)
    {
        if (!TryJourney(wecom, corp, id, out var name, out var badRoute)) return badRoute;
        if (await store.GetAsync(name, id, ct: ct) is not { } latest) return NotFound(NoSuchJourney);
        if (latest.Version >= JourneyLimits.VersionsPerJourney)
            return Conflict("Too many versions", $"A journey keeps at most {JourneyLimits.VersionsPerJourney} versions; create a new one.");
        var (body, refused) = await JourneyBody.ReadAsync(request, ct);
        if (refused is not null) return refused;
        using (body)
        {
            if (JourneyReader.Read(body!.RootElement, name, id, out var errors) is not { } journey) return TypedResults.ValidationProblem(errors);
            if (await References(journey, user, wecom.CurrentValue, segments, ct) is { } failed) return failed;
            var saved = await store.SaveAsync(journey, ct);
            Log.Changed(logs.CreateLogger(typeof(JourneyDefinitionApi)), saved.Id, name, "replaced", saved.Version);
            return TypedResults.Ok(Answer(saved));
        }
    }

    /// <summary>
    /// Deactivates: the next version is the latest one, inactive. Running enrolments keep going on their version (an
    /// enrolment's version never changes); POST …/exits ends them. Already inactive: answered with it, no new version.
    /// </summary>
    private static async Task<IResult> Delete(string corp, string id, ClaimsPrincipal user, IJourneyDefinitionStore store,
        IOptionsMonitor<WeComOptions> wecom, ILoggerFactory logs, CancellationToken ct)
    {
        if (!TryJourney(wecom, corp, id, out var name, out var badRoute)) return badRoute;
        if (await store.GetAsync(name, id, ct: ct) is not { } latest) return NotFound(NoSuchJourney);
        if (!JourneyReferences.Accounts(latest).All(user.MayUseAccount)) return ApiClaims.OutOfScope("account");
        if (!latest.Active) return TypedResults.Ok(Answer(latest));
        var saved = await store.SaveAsync(JourneyReader.WithActive(latest, active: false), ct);
        Log.Changed(logs.CreateLogger(typeof(JourneyDefinitionApi)), saved.Id, name, "deactivated", saved.Version);
        return TypedResults.Ok(Answer(saved));
    }
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Journeys.Definitions;
using WecomBridge.Sending;
using WecomBridge.WeCom;

namespace WecomBridge.Journeys;

/// <summary>
/// What every journey route (definitions, enrolments, views) checks of …/journeys/{corp}/{id} before anything else, and
/// the problems it answers with, worded the same on each route: the corp as configured (404 when it is not), the journey
/// id's form (400 naming `id`). The key's corp scope is the routes' group filter.
/// </summary>
internal static class JourneyRoutes
{
    public const string NoSuchCorp = "No such corp is configured.";
    public const string NoSuchJourney = "No such journey.";

    /// <summary>The corp as configured (names compare ignoring case), or null: a 404.</summary>
    public static string? Corp(IOptionsMonitor<WeComOptions> wecom, string corp)
    {
        var name = ConfiguredNames.Corp(wecom.CurrentValue, corp);
        return wecom.CurrentValue.Corps.ContainsKey(name) ? name : null;
    }

    /// <summary>The configured corp of a route with a journey id, or the problem: 404 for the corp, then 400 for the id.</summary>
    public static bool TryJourney(IOptionsMonitor<WeComOptions> wecom, string corp, string id, [NotNullWhen(true)] out string? name,
        [NotNullWhen(false)] out IResult? refused)
    {
        name = Corp(wecom, corp);
        refused = name is null ? NotFound(NoSuchCorp) : JourneyReader.IsId(id) ? null : InvalidId();
        if (refused is not null) name = null;
        return refused is null;
    }

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static IResult InvalidId() =>
        JsonBody.Invalid("id", $"id is a journey id: 1–{JourneyLimits.IdLength} ASCII letters, digits, _ and -.");
}

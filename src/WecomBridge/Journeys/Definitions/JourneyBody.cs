using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WecomBridge.Api;

namespace WecomBridge.Journeys.Definitions;

/// <summary>
/// Reads the JSON body of a definition endpoint itself: not JSON → 415, over <see cref="JourneyLimits.BodyBytes"/> (also
/// chunked) → 413, not valid JSON, repeated properties or nested deeper than <see cref="JourneyLimits.JsonDepth"/> → 400.
/// </summary>
internal static class JourneyBody
{
    private static readonly JsonBody Reader = new(JourneyLimits.BodyBytes, JourneyLimits.JsonDepth,
        $"Journey definitions take at most {JourneyLimits.BodyBytes} bytes.", "The body must be a JSON object: a journey.");

    public static Task<(JsonDocument? Body, IResult? Refused)> ReadAsync(HttpRequest request, CancellationToken ct) =>
        Reader.ReadAsync(request, ct);

    public static ValidationProblem Invalid(string path, string message) => JsonBody.Invalid(path, message);
}

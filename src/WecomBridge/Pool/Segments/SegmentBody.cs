using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WecomBridge.Api;

namespace WecomBridge.Pool.Segments;

/// <summary>
/// Reads the JSON body of a segment endpoint itself: not JSON → 415, over <see cref="SegmentLimits.BodyBytes"/> (also
/// chunked) → 413, not valid JSON, repeated properties or nested deeper than <see cref="SegmentLimits.JsonDepth"/> → 400.
/// </summary>
internal static class SegmentBody
{
    private static readonly JsonBody Reader = new(SegmentLimits.BodyBytes, SegmentLimits.JsonDepth,
        $"Segment requests take at most {SegmentLimits.BodyBytes} bytes.", "The body must be a JSON object.");

    public static Task<(JsonDocument? Body, IResult? Refused)> ReadAsync(HttpRequest request, CancellationToken ct) =>
        Reader.ReadAsync(request, ct);

    /// <summary>The body's fields when each is among <paramref name="known"/>; else null with an error naming the unknown one.</summary>
    public static Dictionary<string, JsonElement>? Fields(JsonElement body, string[] known, Dictionary<string, string[]> errors)
    {
        var fields = new Dictionary<string, JsonElement>();
        foreach (var p in body.EnumerateObject())
        {
            if (known.Contains(p.Name)) fields[p.Name] = p.Value;
            else errors.TryAdd(p.Name.Length <= 32 && p.Name.All(char.IsAsciiLetterOrDigit) ? p.Name : "$",
                [$"Unknown field; known: {string.Join(", ", known)}."]);
        }
        return errors.Count == 0 ? fields : null;
    }

    public static ValidationProblem Invalid(string path, string message) => JsonBody.Invalid(path, message);
}

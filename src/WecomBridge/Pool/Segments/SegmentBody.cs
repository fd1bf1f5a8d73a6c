using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WecomBridge.Pool.Segments;

/// <summary>
/// Reads the JSON body of a segment endpoint itself: not JSON → 415, over <see cref="SegmentLimits.BodyBytes"/> (also
/// chunked) → 413, not valid JSON, repeated properties or nested deeper than <see cref="SegmentLimits.JsonDepth"/> → 400.
/// </summary>
internal static class SegmentBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = SegmentLimits.JsonDepth, AllowDuplicateProperties = false };

    public static async Task<(JsonDocument? Body, IResult? Refused)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as application/json."));
        using var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0 && buffer.Length <= SegmentLimits.BodyBytes)
                buffer.Write(chunk, 0, read);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        if (buffer.Length > SegmentLimits.BodyBytes) return (null, TooLarge());
        try
        {
            var document = JsonDocument.Parse(buffer.ToArray(), Options);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return (document, null);
            document.Dispose();
            return (null, Invalid("$", "The body must be a JSON object."));
        }
        catch (JsonException)
        {
            return (null, Invalid("$", $"The body is not valid JSON, repeats a property or is nested deeper than {SegmentLimits.JsonDepth} levels."));
        }
    }

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

    public static ValidationProblem Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] });

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Payload too large", detail: $"Segment requests take at most {SegmentLimits.BodyBytes} bytes.");
}

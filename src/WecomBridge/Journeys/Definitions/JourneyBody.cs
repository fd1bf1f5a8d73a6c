using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WecomBridge.Journeys.Definitions;

/// <summary>
/// Reads the JSON body of a definition endpoint itself: not JSON → 415, over <see cref="JourneyLimits.BodyBytes"/> (also
/// chunked) → 413, not valid JSON, repeated properties or nested deeper than <see cref="JourneyLimits.JsonDepth"/> → 400.
/// </summary>
internal static class JourneyBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = JourneyLimits.JsonDepth, AllowDuplicateProperties = false };

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
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0 && buffer.Length <= JourneyLimits.BodyBytes)
                buffer.Write(chunk, 0, read);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        if (buffer.Length > JourneyLimits.BodyBytes) return (null, TooLarge());
        try
        {
            var document = JsonDocument.Parse(buffer.ToArray(), Options);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return (document, null);
            document.Dispose();
            return (null, Invalid("$", "The body must be a JSON object: a journey."));
        }
        catch (JsonException)
        {
            return (null, Invalid("$", $"The body is not valid JSON, repeats a property or is nested deeper than {JourneyLimits.JsonDepth} levels."));
        }
    }

    public static ValidationProblem Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] });

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Payload too large", detail: $"Journey definitions take at most {JourneyLimits.BodyBytes} bytes.");
}

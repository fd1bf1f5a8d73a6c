using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WecomBridge.Api;

/// <summary>
/// Reads the JSON body of an endpoint that parses it itself (to name every bad field by its JSON path): not JSON → 415,
/// over maxBytes (also chunked) → 413, not valid JSON, repeated properties or nested deeper than maxDepth → 400, not an
/// object → 400.
/// </summary>
internal sealed class JsonBody(int maxBytes, int maxDepth, string tooLarge, string notAnObject)
{
    private readonly JsonDocumentOptions _options = new() { MaxDepth = maxDepth, AllowDuplicateProperties = false };

    public async Task<(JsonDocument? Body, IResult? Refused)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as application/json."));
        using var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0 && buffer.Length <= maxBytes)
                buffer.Write(chunk, 0, read);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        if (buffer.Length > maxBytes) return (null, TooLarge());
        try
        {
            var document = JsonDocument.Parse(buffer.ToArray(), _options);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return (document, null);
            document.Dispose();
            return (null, Invalid("$", notAnObject));
        }
        catch (JsonException)
        {
            return (null, Invalid("$", $"The body is not valid JSON, repeats a property or is nested deeper than {maxDepth} levels."));
        }
    }

    public static ValidationProblem Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] });

    private ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Payload too large", detail: tooLarge);
}

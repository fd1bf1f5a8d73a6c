using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WecomBridge.Sending.Api;

/// <summary>
/// Reads the body of POST /api/v1/messages itself, so that every failure is a clear problem: not JSON → 415, over
/// the limit (also chunked) → 413, malformed or ill-typed JSON → 400 keyed by the JSON path of the bad value.
/// Unknown and repeated properties are refused; nesting is bounded.
/// </summary>
internal static class SendBody
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        MaxDepth = SendLimits.JsonDepth,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<(SendMessageRequest? Body, ProblemHttpResult? Refused, ValidationProblem? Invalid)> ReadAsync(
        HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the message as application/json."), null);
        byte[] bytes;
        try
        {
            bytes = await ReadBoundedAsync(request.Body, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(), null); // the server's own limit (the endpoint's metadata) hit first
        }
        if (bytes.Length > SendLimits.BodyBytes) return (null, TooLarge(), null);
        try
        {
            var body = JsonSerializer.Deserialize<SendMessageRequest>(bytes, Json);
            return body is null ? (null, null, Invalid("$", "The body must be a JSON object.")) : (body, null, null);
        }
        catch (JsonException e)
        {
            var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$', '.');
            var reason = e.Path is null
                ? "The body is not valid JSON."
                : $"The value at {e.Path} is malformed, of the wrong type or not a known field.";
            return (null, null, Invalid(path, reason));
        }
    }

    /// <summary>At most one byte over the limit is read; the caller refuses that.</summary>
    private static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > SendLimits.BodyBytes) break;
        }
        return buffer.ToArray();
    }

    public static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Payload too large", detail: $"POST /api/v1/messages takes at most {SendLimits.BodyBytes} bytes.");

    private static ValidationProblem Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] });
}

using System.Security.Cryptography;
using System.Text.Json;

namespace WecomBridge.Sending.Api;

/// <summary>
/// The optional `Idempotency-Key` header (1–255 printable ASCII characters), scoped to the API key's name, and the
/// hash that tells a repeat of the same request from a different one: SHA-256 of the validated request's canonical
/// JSON (declared field order, template keywords sorted, nulls left out).
/// </summary>
internal static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>(key scoped to the API key, or null without the header; false when the header is malformed).</summary>
    public static (string? Scoped, bool Valid) Read(HttpRequest request, string apiKey)
    {
        if (!request.Headers.TryGetValue(Header, out var values)) return (null, true);
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= MaxLength } key || key.Any(c => c is < ' ' or > '~'))
            return (null, false);
        // Length-prefixed, so that no key name and idempotency key pair can collide with another.
        return ($"{apiKey.Length}:{apiKey}:{key}", true);
    }

    public static string Hash(SendMessageRequest request)
    {
        var canonical = request.Template is { Data: { } data }
            ? request with { Template = request.Template with { Data = new(data.OrderBy(d => d.Key, StringComparer.Ordinal)) } }
            : request;
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical, SendBody.Json)));
    }
}

using System.Text.Json;
using WecomBridge.Api;
using WecomBridge.Pool;

namespace WecomBridge.Journeys.Enrolments;

/// <summary>
/// The enrol and exit bodies, field by field: each error keyed by the field's name, never repeating the value. Unknown
/// fields are refused (a typo must not pass silently).
/// </summary>
internal static class JourneyEnrolmentBody
{
    public const int RequestIdLength = 128;

    public static (string? ExternalUserId, string? RequestId) Enrol(JsonElement body, Dictionary<string, string[]> errors)
    {
        var (ext, request) = ((string?)null, (string?)null);
        foreach (var p in body.EnumerateObject())
            switch (p.Name)
            {
                case "externalUserId": ext = ExternalUserId(p.Value, errors); break;
                case "requestId": request = RequestId(p.Value, errors); break;
                default: errors[Key(p.Name)] = ["is not a field of an enrol call (externalUserId, requestId)."]; break;
            }
        if (ext is null && !errors.ContainsKey("externalUserId")) errors["externalUserId"] = ["is required."];
        return (ext, request);
    }

    public static (string? ExternalUserId, Guid? EnrolmentId) Exit(JsonElement body, Dictionary<string, string[]> errors)
    {
        var (ext, id) = ((string?)null, (Guid?)null);
        foreach (var p in body.EnumerateObject())
            switch (p.Name)
            {
                case "externalUserId": ext = ExternalUserId(p.Value, errors); break;
                case "enrolmentId":
                    if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: <= 64 } text
                        && Guid.TryParse(text, out var parsed)) id = parsed;
                    else errors["enrolmentId"] = ["is an enrolment id, as the enrol call answered it."];
                    break;
                default: errors[Key(p.Name)] = ["is not a field of an exit call (externalUserId or enrolmentId)."]; break;
            }
        if (errors.Count == 0 && (ext is null) == (id is null))
            errors["externalUserId"] = ["give either externalUserId or enrolmentId (one of them)."];
        return (ext, id);
    }

    private static string? ExternalUserId(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.String && WeComIdAttribute.IsValid(value.GetString(), PoolApi.IdLength)) return value.GetString();
        errors["externalUserId"] = [$"is an external user id: 1–{PoolApi.IdLength} characters of ASCII letters, digits and _-.@"];
        return null;
    }

    private static string? RequestId(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= RequestIdLength } text
            && text.All(c => c is > ' ' and < '\u007f')) return text;
        errors["requestId"] = [$"is 1–{RequestIdLength} printable ASCII characters without spaces."];
        return null;
    }

    /// <summary>An unknown field's name as the error key, cut short (the body is small, but a key is echoed).</summary>
    private static string Key(string name) => name.Length <= 64 && name.All(c => c is >= ' ' and < '\u007f') ? name : "$";
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WecomBridge.DeadLetters;

/// <summary>
/// What an operator is shown of a message: its JSON with the values of personal fields replaced by "***" (names,
/// mobiles, remarks, addresses, message content and free text, raw callback XML, template keywords), matched by field
/// name at any depth and ignoring case; ids, types, times and codes stay. A body that is not JSON is not shown at all.
/// Fault texts are shown with the masked values and every run of 6 or more digits (mobiles, ids of people) replaced.
/// </summary>
internal sealed partial class PersonalDataMask
{
    public const string Masked = "***";
    private const int MaxFaultLength = 500;

    /// <summary>Field names whose values are personal data or free text, in the contracts and the send commands.</summary>
    public static readonly string[] BuiltIn =
    [
        "name", "nickname", "groupNickname", "remark", "remarks", "description", "mobile", "mobiles", "remarkMobiles",
        "telephone", "phone", "email", "bizMail", "address", "alias", "avatar", "position", "gender", "corpName", "corpFullName",
        "content", "text", "title", "notice", "label", "rawXml", "rawBase64", "data", "welcomeCode", "ticket",
        "recognition", "latitude", "longitude", "precision", "updateDetail", "externalProfile", "extAttr", "failReason",
    ];

    private readonly HashSet<string> _fields;

    public PersonalDataMask(IOptions<DeadLetterOptions> options) =>
        _fields = new HashSet<string>(BuiltIn.Concat(options.Value.MaskedFields), StringComparer.OrdinalIgnoreCase);

    /// <summary>The masked body as JSON, or null when the body is not JSON (then nothing of it is shown).</summary>
    public JsonNode? Body(ReadOnlySpan<byte> body, List<string>? maskedValues = null)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(body); }
        catch (JsonException) { return null; }
        if (root is null) return null;
        if (root is JsonValue) return JsonValue.Create(Masked); // a bare string or number: free text
        Mask(root, maskedValues ?? []);
        return root;
    }

    /// <summary>A fault text without the body's personal values nor long digit runs, cut to 500 characters.</summary>
    public string? Fault(string? message, ReadOnlySpan<byte> body)
    {
        if (message is null) return null;
        var values = new List<string>();
        Body(body, values);
        // Digit runs first, so that a masked value found inside a longer number leaves no digits of it behind.
        var text = new StringBuilder(Digits().Replace(message.Length > 4 * MaxFaultLength ? message[..(4 * MaxFaultLength)] : message, Masked));
        foreach (var value in values.Where(v => v.Length >= 2).OrderByDescending(v => v.Length)) text.Replace(value, Masked);
        var masked = Digits().Replace(text.ToString(), Masked);
        return masked.Length > MaxFaultLength ? masked[..MaxFaultLength] + "…" : masked;
    }

    /// <summary>Masks in place: containers are walked, personal fields replaced by new nodes.</summary>
    private void Mask(JsonNode node, List<string> values)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Select(p => p.Key).ToList())
            {
                if (obj[key] is not { } child) continue;
                if (_fields.Contains(key)) obj[key] = Hide(child, values);
                else Mask(child, values);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
                if (item is not null) Mask(item, values);
        }
    }

    /// <summary>Every leaf under a personal field becomes "***" (the shape stays, so an operator sees what was there).</summary>
    private static JsonNode Hide(JsonNode node, List<string> values)
    {
        switch (node)
        {
            case JsonObject obj:
                var hidden = new JsonObject();
                foreach (var (key, child) in obj) hidden[key] = child is null ? null : Hide(child, values);
                return hidden;
            case JsonArray array:
                return new JsonArray(array.Select(item => item is null ? null : Hide(item, values)).ToArray());
            default:
                if (node.GetValueKind() == JsonValueKind.String) values.Add(node.GetValue<string>());
                else values.Add(node.ToJsonString());
                return JsonValue.Create(Masked);
        }
    }

    [GeneratedRegex(@"\d{6,}")]
    private static partial Regex Digits();
}

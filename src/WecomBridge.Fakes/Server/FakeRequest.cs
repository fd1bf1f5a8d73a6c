using System.Collections.Specialized;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using WireMock;

namespace WecomBridge.Fakes.Server;

/// <summary>A call as a handler sees it: query parameters and the JSON body (empty object when absent or invalid).</summary>
internal sealed class FakeRequest
{
    private readonly NameValueCollection _query;

    public FakeRequest(IRequestMessage message)
    {
        Path = message.Path;
        RawQuery = message.RawQuery?.TrimStart('?') ?? "";
        _query = HttpUtility.ParseQueryString(RawQuery);
        BodyText = message.Body ?? "";
        Body = ParseObject(BodyText);
    }

    public string Path { get; }
    public string RawQuery { get; }
    public string BodyText { get; }
    public JsonObject Body { get; }

    public string? Query(string name) => _query[name];

    public string? String(string name) => Body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public int? Int(string name) => Body[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    public List<string> Strings(string name) => Body[name] is JsonArray array
        ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList()
        : [];

    private static JsonObject ParseObject(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

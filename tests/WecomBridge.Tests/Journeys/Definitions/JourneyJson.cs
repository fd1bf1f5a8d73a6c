using System.Text.Json;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Definitions;

namespace WecomBridge.Tests.Journeys.Definitions;

/// <summary>Journeys as JSON for the tests: a small valid one to vary, the examples of examples/journeys/, and the reader.</summary>
internal static class JourneyJson
{
    public const string Step = """{"id": "s1", "delay": "PT0S", "action": {"kind": "tag", "tagId": "etA"}}""";

    public static string Journey(string steps = Step, string trigger = """{"kind": "contactAdded"}""", string extra = "", string id = "j1") =>
        $$"""{"id": "{{id}}", "name": "J", "trigger": {{trigger}}, "steps": [{{steps}}]{{extra}}}""";

    /// <summary>A journey of one step (delay P1D) doing <paramref name="action"/>; <paramref name="more"/> adds step fields.</summary>
    public static string Action(string action, string more = "") => Journey($$"""{"id": "s1", "delay": "P1D"{{more}}, "action": {{action}}}""");

    public static string Conditions(string conditions) => Action("""{"kind": "tag", "tagId": "etA"}""", $", \"conditions\": {conditions}");

    /// <summary>Repeated properties are let through: the reader refuses them itself (the API refuses them before it).</summary>
    public static JsonDocument Document(string json) => JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JourneyLimits.JsonDepth });

    public static JourneyDefinition? Read(string json, out Dictionary<string, string[]> errors, string corp = "acme", string? routeId = null)
    {
        using var document = Document(json);
        return JourneyReader.Read(document.RootElement, corp, routeId, out errors);
    }

    public static JourneyDefinition Valid(string json, string corp = "acme") =>
        Read(json, out var errors, corp) ?? throw new Xunit.Sdk.XunitException(string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));

    public static string ExamplesFolder
    {
        get
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "WecomBridge.sln"))) root = Path.GetDirectoryName(root)!;
            return Path.Combine(root, "examples", "journeys");
        }
    }

    public static IEnumerable<string> Examples() => Directory.EnumerateFiles(ExamplesFolder, "*.json").Order(StringComparer.Ordinal);
}

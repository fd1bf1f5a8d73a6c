using System.Text.Json;
using System.Text.Json.Nodes;
using WecomBridge.Sending.Api;

namespace WecomBridge.Journeys.Definitions;

/// <summary>
/// Reads a journey from its JSON (docs/journeys.md, "Defining journeys") into the validated model. Every error is keyed
/// by the JSON path of the bad value (<c>steps[2].action.text</c>) and values are never echoed back; unknown and repeated
/// fields are errors, so that a typo never silently changes what a journey sends.
/// </summary>
internal sealed partial class JourneyReader
{
    private static readonly string[] JourneyFields = ["id", "name", "description", "active", "trigger", "steps", "exits"];

    /// <summary>A body of thousands of bad fields answers with the first ones (and says so), not with megabytes of errors.</summary>
    private const int MaxErrors = 100;

    private readonly FieldErrors _errors = new();
    private int _errorCount;

    /// <summary>
    /// The journey of <paramref name="corp"/> in <paramref name="body"/> (Version 0 and CreatedAt unset: the store sets
    /// them), or null with the errors. <paramref name="routeId"/>: the id the URL names (PUT); the body's id may then be
    /// left out and must otherwise match. Source is the body with its id and active set, ready to be read again.
    /// </summary>
    public static JourneyDefinition? Read(JsonElement body, string corp, string? routeId, out Dictionary<string, string[]> errors)
    {
        var reader = new JourneyReader();
        var journey = reader.Journey(body, corp, routeId);
        errors = reader._errors.ToDictionary();
        return errors.Count == 0 ? journey : null;
    }

    /// <summary>The same journey, active or not (its Source says so too): what DELETE stores as the next version.</summary>
    public static JourneyDefinition WithActive(JourneyDefinition journey, bool active) =>
        journey with { Active = active, Source = Normalized(journey.Source, journey.Id, active) };

    private JourneyDefinition? Journey(JsonElement body, string corp, string? routeId)
    {
        if (Fields(body, "", JourneyFields, "a journey") is not { } f) return null;
        var id = String(f, "id", "", required: routeId is null);
        if (id is not null && CheckId("id", id) && routeId is not null && id != routeId)
            Error("id", "must be the journey id of the URL (or be left out).");
        var name = String(f, "name", "", required: true);
        if (name is not null) Label("name", name, JourneyLimits.NameLength, lines: false);
        if (String(f, "description", "") is { } description) Label("description", description, JourneyLimits.DescriptionLength, lines: true);
        var active = Bool(f, "active", "") ?? true;
        var trigger = f.TryGetValue("trigger", out var t) ? Trigger(t, "trigger") : Required<JourneyTrigger>("trigger");
        var steps = f.TryGetValue("steps", out var s) ? Steps(s, "steps") : Required<IReadOnlyList<JourneyStep>>("steps");
        var exits = f.TryGetValue("exits", out var x) && x.ValueKind != JsonValueKind.Null ? Exits(x, "exits") : [];
        if (_errors.Any || trigger is null || steps is null || exits is null) return null;
        id = routeId ?? id!;
        return new JourneyDefinition(corp, id, 0, name!, active, trigger, steps, exits, default, Normalized(body, id, active));
    }

    /// <summary>The body with id first and active after the name: a definition as GET returns it and PUT takes it back.</summary>
    private static JsonElement Normalized(JsonElement body, string id, bool active)
    {
        var source = new JsonObject { ["id"] = id };
        foreach (var p in body.EnumerateObject())
        {
            if (p.Name is "id" or "active") continue;
            source[p.Name] = JsonNode.Parse(p.Value.GetRawText());
            if (p.Name == "name") source["active"] = active;
        }
        source["active"] = active;
        return JsonSerializer.SerializeToElement(source);
    }

    private bool CheckId(string path, string id)
    {
        if (IsId(id)) return true;
        Error(path, $"must be 1–{JourneyLimits.IdLength} ASCII letters, digits, _ and -, starting with a letter or digit.");
        return false;
    }

    /// <summary>A journey or step id: it appears in URLs and logs, so plain ASCII.</summary>
    public static bool IsId(string? id) => id is { Length: > 0 and <= JourneyLimits.IdLength } && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>A name or description: valid Unicode, no control characters (a description may have line breaks), bounded.</summary>
    private void Label(string path, string text, int maxChars, bool lines)
    {
        if (text.Length == 0) Error(path, "must not be empty.");
        else if (!lines && text.Any(char.IsControl)) Error(path, "must not contain control characters or line breaks.");
        else _errors.TextChars(path, text, maxChars);
    }
}

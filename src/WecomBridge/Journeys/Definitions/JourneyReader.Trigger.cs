using System.Text.Json;
using WecomBridge.Api;
using WecomBridge.Pool;
using WecomBridge.Pool.Segments;
using WecomBridge.Sending.Api;

namespace WecomBridge.Journeys.Definitions;

/// <summary>The trigger (what enrols a contact) and the exits (what ends an enrolment early).</summary>
internal sealed partial class JourneyReader
{
    private static readonly Dictionary<string, string[]> TriggerFields = new(StringComparer.Ordinal)
    {
        [JourneyTriggerKinds.ContactAdded] = ["state"],
        [JourneyTriggerKinds.TagAdded] = ["tagId"],
        [JourneyTriggerKinds.FollowerSubscribed] = ["account"],
        [JourneyTriggerKinds.StageChanged] = ["stage"],
        [JourneyTriggerKinds.SegmentEntered] = ["segmentId"],
        [JourneyTriggerKinds.EnrolCall] = [],
    };

    private static readonly Dictionary<string, string[]> ExitFields = new(StringComparer.Ordinal)
    {
        [JourneyExitKinds.ContactDeleted] = [],
        [JourneyExitKinds.Suppressed] = [],
        [JourneyExitKinds.TagAdded] = ["tagId"],
        [JourneyExitKinds.ExitCall] = [],
    };

    private JourneyTrigger? Trigger(JsonElement value, string path)
    {
        if (Kind(value, path, TriggerFields, "a trigger") is not var (kind, f)) return null;
        var state = String(f, "state", path);
        if (state is not null && (state.Length is 0 or > PoolQuery.StateLength || state.Any(char.IsControl)))
            Error(At(path, "state"), $"must be a channel state: 1–{PoolQuery.StateLength} characters without control characters.");
        var tagId = TagId(f, path, required: kind == JourneyTriggerKinds.TagAdded);
        var account = String(f, "account", path, required: kind == JourneyTriggerKinds.FollowerSubscribed);
        if (account is not null && !WeComIdAttribute.IsValid(account, PoolApi.IdLength))
            Error(At(path, "account"), "must be the name of an Official Account: ASCII letters, digits and _-.@.");
        var stage = String(f, "stage", path, required: kind == JourneyTriggerKinds.StageChanged);
        if (stage is not null && !SegmentLimits.Stages.Contains(stage)) Error(At(path, "stage"), "must be new, active, dormant or lost.");
        var segment = String(f, "segmentId", path, required: kind == JourneyTriggerKinds.SegmentEntered);
        Guid? segmentId = segment is { Length: <= 40 } && Guid.TryParse(segment, out var g) ? g : null;
        if (segment is not null && segmentId is null) Error(At(path, "segmentId"), "must be a segment id as POST …/segments returned it.");
        return new JourneyTrigger(kind, state, tagId, account, stage, segmentId);
    }

    private IReadOnlyList<JourneyExit>? Exits(JsonElement value, string path)
    {
        if (!Array(value, path, 0, JourneyLimits.Exits)) return null;
        var exits = new List<JourneyExit>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (Kind(item, at, ExitFields, "an exit") is not var (kind, f)) continue;
            var exit = new JourneyExit(kind, TagId(f, at, required: kind == JourneyExitKinds.TagAdded));
            if (exits.Contains(exit)) Error(at, "repeats an exit given before.");
            exits.Add(exit);
        }
        return exits.Count == i ? exits : null;
    }

    private string? TagId(Dictionary<string, JsonElement> fields, string path, bool required)
    {
        var tagId = String(fields, "tagId", path, required);
        if (tagId is not null) _errors.Id(At(path, "tagId"), tagId, SendLimits.TagId);
        return tagId;
    }

    /// <summary>An object with a known kind and only the fields of that kind; its fields, or null with the errors.</summary>
    private (string Kind, Dictionary<string, JsonElement> Fields)? Kind(JsonElement value, string path,
        Dictionary<string, string[]> kinds, string what)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(path, $"must be {what}: a JSON object with a kind.");
            return null;
        }
        // Compared as UTF-8, never decoded: a kind that is not valid Unicode is just an unknown kind.
        var kind = value.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String
            ? kinds.Keys.FirstOrDefault(name => k.ValueEquals(name)) : null;
        if (kind is null || !kinds.TryGetValue(kind, out var known))
        {
            Error(At(path, "kind"), $"must be one of: {string.Join(", ", kinds.Keys)}.");
            return null;
        }
        return Fields(value, path, ["kind", .. known], $"a {kind} {what[(what.IndexOf(' ') + 1)..]}") is { } f ? (kind, f) : null;
    }
}

using System.Text.Json;
using WecomBridge.Pool.Segments;

namespace WecomBridge.Journeys.Definitions;

/// <summary>The steps: ids unique, delays from the enrolment in step order, conditions, one action each.</summary>
internal sealed partial class JourneyReader
{
    private static readonly string[] StepFields = ["id", "delay", "at", "conditions", "action"];
    private const string Interacted = "interactedSinceEnrolment";

    private IReadOnlyList<JourneyStep>? Steps(JsonElement value, string path)
    {
        if (!Array(value, path, 1, JourneyLimits.Steps)) return null;
        var steps = new List<JourneyStep>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        TimeSpan? previous = null;
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{i}]";
            var step = Step(item, at);
            if (step is not null && !ids.TryAdd(step.Id, i)) Error(At(at, "id"), $"repeats the id of {path}[{ids[step.Id]}].");
            if (step is not null && step.Delay < previous)
                Error(At(at, "delay"), "must not be shorter than the delay of the step before: steps run in order, delays count from the enrolment.");
            if (step is not null)
            {
                steps.Add(step);
                previous = step.Delay;
            }
            i++;
        }
        return steps.Count == i ? steps : null;
    }

    private JourneyStep? Step(JsonElement value, string path)
    {
        if (Fields(value, path, StepFields, "a step") is not { } f) return null;
        var id = String(f, "id", path, required: true);
        if (id is not null) CheckId(At(path, "id"), id);
        var delay = Duration(String(f, "delay", path, required: true), At(path, "delay"));
        var time = TimeOfDay(String(f, "at", path), At(path, "at"));
        var conditions = f.TryGetValue("conditions", out var c) && c.ValueKind != JsonValueKind.Null ? Conditions(c, At(path, "conditions")) : [];
        var action = f.TryGetValue("action", out var a) ? Action(a, At(path, "action")) : Required<JourneyAction>(At(path, "action"));
        if (id is null || !IsId(id) || delay is null || conditions is null || action is null) return null;
        if (f.ContainsKey("at") && time is null) return null;
        return new JourneyStep(id, delay.Value, time, conditions, action);
    }

    /// <summary>Each a segment filter over the contact, or {"interactedSinceEnrolment": true|false}; all must hold.</summary>
    private IReadOnlyList<JourneyCondition>? Conditions(JsonElement value, string path)
    {
        if (!Array(value, path, 0, JourneyLimits.ConditionsPerStep)) return null;
        var conditions = new List<JourneyCondition>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(Interacted, out _))
            {
                var f = Fields(item, at, [Interacted], "an interaction condition");
                if (f is not null && Bool(f, Interacted, at) is { } interacted) conditions.Add(new JourneyCondition(null, interacted));
                else if (f is not null && f[Interacted].ValueKind == JsonValueKind.Null) Error(At(at, Interacted), "must be true or false.");
                continue;
            }
            var errors = new Dictionary<string, string[]>();
            if (SegmentFilterParser.Parse(item, at, errors) is { } filter) conditions.Add(new JourneyCondition(filter, null));
            foreach (var (key, messages) in errors)
                foreach (var message in messages) Error(key, message);
        }
        return conditions.Count == i ? conditions : null;
    }
}

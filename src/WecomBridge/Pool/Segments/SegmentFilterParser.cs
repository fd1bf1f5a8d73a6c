using System.Text.Json;

namespace WecomBridge.Pool.Segments;

/// <summary>
/// Reads a filter from JSON: each condition an object with exactly one operator. Every error is keyed by the JSON path
/// of the bad value (e.g. <c>filter.all[2].tags.any[0]</c>); values are never echoed back.
/// </summary>
internal sealed partial class SegmentFilterParser
{
    private static readonly string Operators = "all, any, not, tags, relation, state, followUser, added, stage, lastActive, inGroup, "
        + "oaSubscribed, burstFlagged";

    private readonly Dictionary<string, string[]> _errors;
    private int _conditions;

    private SegmentFilterParser(Dictionary<string, string[]> errors) => _errors = errors;

    /// <summary>The filter at <paramref name="path"/>, or null with the errors added to <paramref name="errors"/>.</summary>
    public static SegmentFilter? Parse(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        var before = errors.Count;
        var filter = new SegmentFilterParser(errors).Condition(element, path, 0);
        return errors.Count == before ? filter : null;
    }

    private SegmentFilter? Condition(JsonElement e, string path, int depth)
    {
        if (e.ValueKind != JsonValueKind.Object) return Error(path, "A condition is a JSON object with one operator, e.g. {\"stage\": \"active\"}.");
        if (++_conditions > SegmentLimits.Conditions) return Error(path, $"A filter has at most {SegmentLimits.Conditions} conditions.");
        using var properties = e.EnumerateObject();
        var all = properties.ToList();
        if (all.Count != 1) return Error(path, $"A condition has exactly one operator, one of: {Operators}.");
        var (name, value) = (all[0].Name, all[0].Value);
        var at = $"{path}.{(name.Length <= 32 && name.All(char.IsAsciiLetter) ? name : "?")}";
        return name switch
        {
            "all" or "any" => Combination(name, value, at, depth),
            "not" => depth + 1 > SegmentLimits.Depth ? Error(at, $"all/any/not nest at most {SegmentLimits.Depth} deep.")
                : Condition(value, at, depth + 1) is { } inner ? new NotOf(inner) : null,
            "tags" => Tags(value, at),
            "relation" => Relation(value, at),
            "state" => Ids(value, at, PoolQuery.StateLength, state: true) is { } s ? new RelationFilter(s, null, null) : null,
            "followUser" => Ids(value, at, PoolApi.IdLength) is { } u ? new RelationFilter(null, u, null) : null,
            "added" => Range(value, at) is { } r ? new RelationFilter(null, null, r) : null,
            "stage" => Stages(value, at),
            "lastActive" => Range(value, at) is { } a ? new LastActiveFilter(a) : null,
            "inGroup" => InGroup(value, at),
            "oaSubscribed" => Id(value, at, PoolApi.IdLength) is { } account ? new OaSubscribedFilter(account) : null,
            "burstFlagged" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? new BurstFlaggedFilter(value.GetBoolean())
                : Error(at, "burstFlagged is true or false."),
            _ => Error(at, $"Unknown operator; known: {Operators}."),
        };
    }

    private SegmentFilter? Combination(string name, JsonElement value, string at, int depth)
    {
        if (depth + 1 > SegmentLimits.Depth) return Error(at, $"all/any/not nest at most {SegmentLimits.Depth} deep.");
        if (value.ValueKind != JsonValueKind.Array) return Error(at, $"{name} is an array of conditions.");
        var count = value.GetArrayLength();
        if (count > SegmentLimits.ListItems || (name == "any" && count == 0))
            return Error(at, $"{name} has {(name == "any" ? 1 : 0)}–{SegmentLimits.ListItems} conditions.");
        var items = new List<SegmentFilter>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
            if (Condition(item, $"{at}[{i++}]", depth + 1) is { } c) items.Add(c);
        if (items.Count != count) return null;
        return name == "all" ? new AllOf(items) : new AnyOf(items);
    }

    private SegmentFilter? Tags(JsonElement value, string at)
    {
        if (!Fields(value, at, ["all", "any", "none"], out var fields)) return null;
        var lists = new List<IReadOnlyList<string>>();
        foreach (var key in new[] { "all", "any", "none" })
            lists.Add(fields.TryGetValue(key, out var v) ? Ids(v, $"{at}.{key}", PoolApi.IdLength, listOnly: true) ?? [] : []);
        return Valid(at) ? new TagsFilter(lists[0], lists[1], lists[2]) : null;
    }

    private SegmentFilter? Relation(JsonElement value, string at)
    {
        if (!Fields(value, at, ["state", "followUser", "added"], out var fields, allowEmpty: true)) return null;
        var states = fields.TryGetValue("state", out var s) ? Ids(s, $"{at}.state", PoolQuery.StateLength, state: true) : null;
        var users = fields.TryGetValue("followUser", out var u) ? Ids(u, $"{at}.followUser", PoolApi.IdLength) : null;
        var added = fields.TryGetValue("added", out var a) ? Range(a, $"{at}.added") : null;
        return Valid(at) ? new RelationFilter(states, users, added) : null;
    }

    private SegmentFilter? Stages(JsonElement value, string at)
    {
        var stages = Ids(value, at, 16);
        if (stages is null) return null;
        for (var i = 0; i < stages.Count; i++)
            if (!SegmentLimits.Stages.Contains(stages[i]))
                return Error(value.ValueKind == JsonValueKind.Array ? $"{at}[{i}]" : at, "A stage is new, active, dormant or lost.");
        return new StageFilter(stages);
    }

    private SegmentFilter? InGroup(JsonElement value, string at) => value.ValueKind switch
    {
        JsonValueKind.True => new InGroupFilter(null),
        JsonValueKind.String => Id(value, at, PoolApi.IdLength) is { } chat ? new InGroupFilter(chat) : null,
        _ => Error(at, "inGroup is a group chat id, or true for any group chat (use not for none)."),
    };

    private TimeRange? Range(JsonElement value, string at)
    {
        if (!Fields(value, at, ["after", "before"], out var fields)) return null;
        var after = fields.TryGetValue("after", out var a) ? Time(a, $"{at}.after") : null;
        var before = fields.TryGetValue("before", out var b) ? Time(b, $"{at}.before") : null;
        return Valid(at) ? new TimeRange(after, before) : null;
    }

    private bool Valid(string at) => !_errors.Keys.Any(k => k.StartsWith(at, StringComparison.Ordinal));

    private SegmentFilter? Error(string path, string message)
    {
        _errors.TryAdd(path, [message]);
        return null;
    }
}

using System.Globalization;
using System.Text.Json;

namespace WecomBridge.Pool.Segments;

/// <summary>The body of POST and PUT …/segments: a name, an optional description and a filter (docs/pool.md).</summary>
public sealed record SegmentRequest(string Name, string? Description, JsonElement Filter);

/// <summary>The body of POST …/segments/query: a filter; the count (default true) and/or a page (`limit` 0: none).</summary>
public sealed record SegmentQueryRequest(JsonElement Filter, bool? Count, int? Limit, string? After);

/// <summary>Reads and checks the segment bodies field by field, each error keyed by its JSON path.</summary>
internal static class SegmentRequests
{
    public static (SegmentRequest Request, SegmentFilter Filter)? Segment(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (SegmentBody.Fields(body, ["name", "description", "filter"], errors) is not { } f) return null;
        var name = Text(f, "name", SegmentLimits.NameLength, required: true, errors);
        var description = Text(f, "description", SegmentLimits.DescriptionLength, required: false, errors);
        var filter = Filter(f, errors);
        return errors.Count == 0 ? (new SegmentRequest(name!, description, f["filter"].Clone()), filter!) : null;
    }

    public static (SegmentFilter Filter, bool Count, int Limit, string? After)? Query(JsonElement body, int maxLimit,
        Dictionary<string, string[]> errors)
    {
        if (SegmentBody.Fields(body, ["filter", "count", "limit", "after"], errors) is not { } f) return null;
        var filter = Filter(f, errors);
        var count = true;
        if (f.TryGetValue("count", out var c))
        {
            if (c.ValueKind is JsonValueKind.True or JsonValueKind.False) count = c.GetBoolean();
            else errors["count"] = ["count is true or false."];
        }
        var limit = PoolQuery.DefaultLimit;
        if (f.TryGetValue("limit", out var l)
            && !(l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out limit) && limit >= 0 && limit <= maxLimit))
            errors["limit"] = [$"limit is a whole number 0–{maxLimit} (0: the count only)."];
        var after = Cursor(f.TryGetValue("after", out var a) ? a : null, errors);
        return errors.Count == 0 ? (filter!, count, limit, after) : null;
    }

    public static SegmentFilter? ExportFilter(JsonElement body, Dictionary<string, string[]> errors) =>
        SegmentBody.Fields(body, ["filter"], errors) is { } f ? Filter(f, errors) : null;

    /// <summary>`limit` and `after` of a query string (each at most once).</summary>
    public static (int Limit, string? After) Page(IQueryCollection query, int maxLimit, Dictionary<string, string[]> errors)
    {
        foreach (var (name, values) in query)
            if (values.Count > 1) errors[name.Length <= 32 ? name : "$"] = [$"A parameter may be given once."];
        var limit = PoolQuery.DefaultLimit;
        if (query["limit"].FirstOrDefault() is { Length: > 0 } l
            && (l.Length > 6 || !int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
            errors["limit"] = [$"limit must be a whole number 1–{maxLimit}"];
        string? after = null;
        if (query["after"].FirstOrDefault() is { Length: > 0 } c && !PoolQuery.TryReadCursor(c, out after))
            errors["after"] = ["after must be the next value of the previous page"];
        return (limit, after);
    }

    private static SegmentFilter? Filter(Dictionary<string, JsonElement> fields, Dictionary<string, string[]> errors)
    {
        if (fields.TryGetValue("filter", out var filter)) return SegmentFilterParser.Parse(filter, "filter", errors);
        errors["filter"] = ["A filter is required, e.g. {\"stage\": \"active\"}."];
        return null;
    }

    private static string? Cursor(JsonElement? value, Dictionary<string, string[]> errors)
    {
        if (value is not { } v || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String && PoolQuery.TryReadCursor(v.GetString()!, out var after)) return after;
        errors["after"] = ["after must be the next value of the previous page."];
        return null;
    }

    private static string? Text(Dictionary<string, JsonElement> fields, string name, int maxLength, bool required,
        Dictionary<string, string[]> errors)
    {
        if (!fields.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) errors[name] = [$"{name} is required."];
            return null;
        }
        var s = v.ValueKind == JsonValueKind.String ? v.GetString()! : null;
        if (s is { Length: > 0 } && s.Length <= maxLength && !s.Any(ch => char.IsControl(ch) && (name == "name" || ch != '\n')))
            return s;
        errors[name] = [$"{name} is a string of 1–{maxLength} characters without control characters."];
        return null;
    }
}

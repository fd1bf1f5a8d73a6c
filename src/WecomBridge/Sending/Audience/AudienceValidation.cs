using System.Text.Json;
using WecomBridge.Pool.Segments;
using WecomBridge.Sending.Api;

namespace WecomBridge.Sending.Audience;

/// <summary>
/// The audience of a customer task as it arrives: a saved segment's id or a segment filter (one of them), instead of
/// externalUserIds and tagFilter. The filter is checked as the segment endpoints check it (depth, size, operators),
/// each error keyed by its JSON path under <c>customerTask.audience.filter</c>. Whether the segment exists is
/// <see cref="AudienceResolver"/>'s to say (it needs the pool).
/// </summary>
internal static class AudienceValidation
{
    public const string Path = "customerTask.audience";

    public static void Check(FieldErrors errors, CustomerTaskRequest task, AudienceRequest audience)
    {
        if (task.ExternalUserIds is not null || task.TagFilter is not null)
            errors.Add(Path, "excludes externalUserIds and tagFilter: give the audience or the lists.");
        var filter = audience.Filter is { ValueKind: not JsonValueKind.Null } f ? f : (JsonElement?)null;
        if (audience.Segment is null == filter is null)
        {
            errors.Add(Path, "names a saved segment (segment) or gives a filter (filter): exactly one of them.");
            return;
        }
        if (audience.Segment is { } segment && SegmentId(segment) is null)
            errors.Add($"{Path}.segment", "must be a segment id as POST /api/v1/pool/{corp}/segments returned it.");
        if (filter is { } given) Filter(errors, given);
    }

    /// <summary>The segment filter, or null with its errors added.</summary>
    public static SegmentFilter? Filter(FieldErrors errors, JsonElement filter)
    {
        var found = new Dictionary<string, string[]>();
        var parsed = SegmentFilterParser.Parse(filter, $"{Path}.filter", found);
        foreach (var (path, messages) in found)
            foreach (var message in messages) errors.Add(path, message);
        return parsed;
    }

    public static Guid? SegmentId(string id) => id.Length <= 40 && Guid.TryParse(id, out var guid) ? guid : null;
}

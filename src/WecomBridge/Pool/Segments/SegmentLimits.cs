namespace WecomBridge.Pool.Segments;

/// <summary>
/// Bounds of segment filters and requests: a filter must stay cheap to check and to run whatever a caller sends, so each
/// bound is a 400 naming the field, never a slow query.
/// </summary>
internal static class SegmentLimits
{
    /// <summary>Nesting of all/any/not.</summary>
    public const int Depth = 6;
    /// <summary>Conditions in one filter, combinators included.</summary>
    public const int Conditions = 64;
    /// <summary>Items of one list (tags, states, members, stages, conditions of all/any).</summary>
    public const int ListItems = 100;
    /// <summary>Relative times reach back at most this far.</summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(36_500);
    public const int NameLength = 100;
    public const int DescriptionLength = 1_000;
    /// <summary>Request bodies of the segment endpoints.</summary>
    public const int BodyBytes = 64 * 1024;
    /// <summary>JSON nesting of a body; deeper bodies are refused before any filter is read.</summary>
    public const int JsonDepth = 64;
    public const int SegmentsPerCorp = 1_000;
    /// <summary>Contacts read per page while an export streams.</summary>
    public const int ExportPage = 1_000;

    public static readonly IReadOnlyList<string> Stages = ["new", "active", "dormant", "lost"];
}

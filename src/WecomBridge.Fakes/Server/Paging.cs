namespace WecomBridge.Fakes.Server;

/// <summary>Cursor paging as the fakes do it: the cursor is the offset of the next item, "" when done.</summary>
internal static class Paging
{
    public static (List<T> Page, string NextCursor) Page<T>(IReadOnlyList<T> items, string? cursor, int limit)
    {
        var start = int.TryParse(cursor, out var offset) && offset > 0 ? offset : 0;
        var page = items.Skip(start).Take(limit).ToList();
        var next = start + page.Count;
        return (page, next < items.Count ? next.ToString() : "");
    }

    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];
}

using System.Runtime.CompilerServices;

namespace WecomBridge.WeCom;

/// <summary>Reads every page of a cursor API: each page is its own call (own retries), until the cursor is empty.</summary>
internal static class CursorPages
{
    public static async IAsyncEnumerable<TItem> ReadAllAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> page,
        Func<TPage, IEnumerable<TItem>?> items,
        Func<TPage, string?> nextCursor,
        [EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var current = await page(cursor, ct);
            foreach (var item in items(current) ?? []) yield return item;
            var next = nextCursor(current);
            if (string.IsNullOrEmpty(next) || next == cursor) yield break;
            cursor = next;
        } while (true);
    }
}

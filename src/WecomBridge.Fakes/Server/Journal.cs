namespace WecomBridge.Fakes.Server;

/// <summary>One call the fake answered: what came in, when, and the errcode (null when no JSON answer was sent).</summary>
public sealed record JournalEntry(
    string Method, string Path, string Query, string Body, DateTimeOffset Time, int StatusCode, int? ErrCode);

/// <summary>
/// Every call a fake answered through one of its mappings, in arrival order; with a limit, only the last calls (trimmed
/// to the last `keep` whenever it reaches twice that). Thread-safe.
/// </summary>
public sealed class Journal(int? keep = null)
{
    private readonly List<JournalEntry> _entries = [];

    public IReadOnlyList<JournalEntry> Entries
    {
        get { lock (_entries) return _entries.ToArray(); }
    }

    /// <summary>Calls to a path such as "/cgi-bin/externalcontact/get".</summary>
    public IReadOnlyList<JournalEntry> For(string path) => Entries.Where(e => e.Path == path).ToArray();

    public int Count(string path) => For(path).Count;

    public IReadOnlyDictionary<string, int> CountByPath() =>
        Entries.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Count());

    public void Clear()
    {
        lock (_entries) _entries.Clear();
    }

    internal void Add(JournalEntry entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
            if (keep is { } n && _entries.Count >= 2 * n) _entries.RemoveRange(0, _entries.Count - n);
        }
    }
}

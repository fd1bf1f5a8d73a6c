namespace WecomBridge.Fakes.Server;

/// <summary>At most <see cref="Calls"/> arrivals of one corp (or account) on one path in any window of <see cref="Window"/>.</summary>
public sealed record ArrivalLimit(int Calls, TimeSpan Window);

/// <summary>One call that arrived on a limited path: whose, when (the fake's clock, on arrival) and whether it was refused.</summary>
public sealed record Arrival(string Corp, string Path, DateTimeOffset Time, bool Refused);

/// <summary>
/// A frequency limit as WeCom applies it (docs/wecom-protocol.md §6): per corp (OA: per account) and API path, counted by
/// arrival in a sliding window, never in fixed slots: a call is refused with 45009 when the window that ends at its
/// arrival already holds <see cref="ArrivalLimit.Calls"/> arrivals. Every arrival counts, refused ones too, so a
/// caller that keeps calling into a full window keeps it full. Arrivals on limited paths are recorded for benchmarks
/// and tests. Thread-safe.
/// </summary>
public sealed class ArrivalLimits
{
    private readonly Dictionary<string, ArrivalLimit> _limits = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Corp, string Path), Queue<DateTimeOffset>> _windows = [];
    private readonly List<Arrival> _arrivals = [];
    private readonly Lock _gate = new();

    /// <summary>Limits calls to <paramref name="path"/> (e.g. "/cgi-bin/externalcontact/add_msg_template") of each corp.</summary>
    public void Set(string path, int calls, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        lock (_gate)
        {
            _limits[path] = new ArrivalLimit(calls, window);
            foreach (var key in _windows.Keys.Where(k => k.Path == path).ToArray()) _windows.Remove(key);
        }
    }

    /// <summary>Lifts the limit of a path (its recorded arrivals stay).</summary>
    public void Remove(string path)
    {
        lock (_gate) _limits.Remove(path);
    }

    public IReadOnlyDictionary<string, ArrivalLimit> Limits
    {
        get { lock (_gate) return new Dictionary<string, ArrivalLimit>(_limits); }
    }

    /// <summary>Arrivals on limited paths, in arrival order; of one path when given.</summary>
    public IReadOnlyList<Arrival> Arrivals(string? path = null)
    {
        lock (_gate) return _arrivals.Where(a => path is null || a.Path == path).ToArray();
    }

    /// <summary>Calls refused with 45009 so far (of one path when given).</summary>
    public int Refusals(string? path = null)
    {
        lock (_gate) return _arrivals.Count(a => a.Refused && (path is null || a.Path == path));
    }

    /// <summary>Forgets the recorded arrivals and the windows' contents; the limits stay.</summary>
    public void ClearArrivals()
    {
        lock (_gate)
        {
            _arrivals.Clear();
            _windows.Clear();
        }
    }

    /// <summary>Counts one arrival; true when it is over the limit (to be answered 45009).</summary>
    internal bool Refuse(string corp, string path, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_limits.TryGetValue(path, out var limit)) return false;
            if (!_windows.TryGetValue((corp, path), out var window)) _windows[(corp, path)] = window = new Queue<DateTimeOffset>();
            while (window.Count > 0 && window.Peek() <= now - limit.Window) window.Dequeue();
            var refused = window.Count >= limit.Calls;
            window.Enqueue(now);
            _arrivals.Add(new Arrival(corp, path, now, refused));
            return refused;
        }
    }
}

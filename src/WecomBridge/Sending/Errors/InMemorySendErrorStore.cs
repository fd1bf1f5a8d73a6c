namespace WecomBridge.Sending.Errors;

/// <summary>
/// Embedded mode: the same history as <see cref="RedisSendErrorStore"/> for one process. Each record drops what is past
/// the retention (minute buckets, quiet groups, old ambiguous sends), and the lists are capped as in Redis.
/// </summary>
internal sealed class InMemorySendErrorStore : ISendErrorStore
{
    private readonly Dictionary<string, Scope> _scopes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed class Scope
    {
        public Dictionary<string, Group> Groups { get; } = new(StringComparer.Ordinal);
        public LinkedList<SendErrorEntry> Ambiguous { get; } = new();
    }

    private sealed class Group(string state, int? errCode, DateTimeOffset first)
    {
        public string State => state;
        public int? ErrCode => errCode;
        public DateTimeOffset First { get; set; } = first;
        public DateTimeOffset Last { get; set; } = first;
        public SortedDictionary<long, int> Minutes { get; } = [];
        public LinkedList<SendErrorEntry> Recent { get; } = new();
    }

    public Task RecordAsync(SendError error, SendErrorLimits limits)
    {
        var at = error.Entry.At;
        lock (_gate)
        {
            if (!_scopes.TryGetValue(error.Scope, out var scope)) _scopes[error.Scope] = scope = new Scope();
            Prune(scope, at, limits.Retention);
            if (!scope.Groups.TryGetValue(error.Group, out var group))
                scope.Groups[error.Group] = group = new Group(error.State, error.ErrCode, at);
            if (at < group.First) group.First = at;
            if (at > group.Last) group.Last = at;
            var minute = Minute(at);
            group.Minutes[minute] = group.Minutes.GetValueOrDefault(minute) + 1;
            Push(group.Recent, error.Entry, limits.RecentPerGroup);
            if (error.State == Status.SendStates.Ambiguous) Push(scope.Ambiguous, error.Entry, limits.MaxAmbiguous);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SendErrorGroup>> ReadAsync(string scope, DateTimeOffset now, TimeSpan window, SendErrorLimits limits)
    {
        var from = Minute(now - window);
        lock (_gate)
        {
            if (!_scopes.TryGetValue(scope, out var found)) return Task.FromResult<IReadOnlyList<SendErrorGroup>>([]);
            var groups = found.Groups.Values.Where(g => g.Last >= now - limits.Retention)
                .Select(g => (g, Count: g.Minutes.Where(m => m.Key >= from).Sum(m => m.Value))).Where(x => x.Count > 0)
                .Select(x => new SendErrorGroup(x.g.State, x.g.ErrCode, x.Count, x.g.First, x.g.Last,
                    x.g.Recent.Where(e => e.At >= now - limits.Retention).ToList()))
                .ToList();
            return Task.FromResult<IReadOnlyList<SendErrorGroup>>(groups);
        }
    }

    public Task<IReadOnlyList<SendErrorEntry>> AmbiguousAsync(string scope, DateTimeOffset now, int limit, SendErrorLimits limits)
    {
        lock (_gate)
        {
            IReadOnlyList<SendErrorEntry> sends = _scopes.TryGetValue(scope, out var found)
                ? found.Ambiguous.Where(e => e.At >= now - limits.Retention).Take(limit).ToList() : [];
            return Task.FromResult(sends);
        }
    }

    private static void Prune(Scope scope, DateTimeOffset now, TimeSpan retention)
    {
        var cutoff = Minute(now - retention);
        foreach (var (name, group) in scope.Groups.ToList())
        {
            if (group.Last < now - retention)
            {
                scope.Groups.Remove(name);
                continue;
            }
            foreach (var minute in group.Minutes.Keys.TakeWhile(m => m < cutoff).ToList()) group.Minutes.Remove(minute);
        }
        while (scope.Ambiguous.Last is { } oldest && oldest.Value.At < now - retention) scope.Ambiguous.RemoveLast();
    }

    private static void Push(LinkedList<SendErrorEntry> list, SendErrorEntry entry, int cap)
    {
        list.AddFirst(entry);
        while (list.Count > cap) list.RemoveLast();
    }

    private static long Minute(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 60_000;
}

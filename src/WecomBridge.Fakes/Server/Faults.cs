namespace WecomBridge.Fakes.Server;

public enum FaultKind
{
    /// <summary>Answer 200 with the given errcode (e.g. -1 busy, 45033, 48002).</summary>
    ErrCode,
    /// <summary>Answer 45009 once more than Value calls reached the path within the current minute.</summary>
    RateLimit,
    /// <summary>Answer the HTTP status in Value (e.g. 502) with an empty body.</summary>
    HttpStatus,
    /// <summary>Wait Delay before answering normally.</summary>
    Latency,
    /// <summary>Close the connection without any answer (the journal shows status 0).</summary>
    DropConnection,
    /// <summary>Send the start of the JSON followed by garbage bytes (WireMock MALFORMED_RESPONSE_CHUNK).</summary>
    MalformedResponse,
    /// <summary>Answer with no body at all (WireMock EMPTY_RESPONSE).</summary>
    EmptyResponse,
}

/// <summary>
/// A fault on one path (null = every path), for the next Times calls (null = until cleared) and, when Until is set,
/// only to calls that arrive before it (the fake's clock).
/// </summary>
public sealed class Fault(FaultKind kind, string? path = null, int value = 0, TimeSpan delay = default, int? times = null,
    DateTimeOffset? until = null)
{
    public FaultKind Kind => kind;
    public string? Path => path;
    public int Value => value;
    public TimeSpan Delay => delay;
    public int? Times => times;
    public DateTimeOffset? Until => until;
}

/// <summary>Faults a test switches on and off at run time. Thread-safe.</summary>
public sealed class Faults
{
    private readonly List<Fault> _faults = [];
    private readonly Dictionary<Fault, int> _used = [];
    private readonly Dictionary<(Fault, string, long), int> _minuteCounts = [];
    private readonly TimeProvider _time;
    private readonly TokenStore _tokens;

    internal Faults(TimeProvider time, TokenStore tokens)
    {
        _time = time;
        _tokens = tokens;
    }

    public Fault Add(Fault fault)
    {
        lock (_faults) _faults.Add(fault);
        return fault;
    }

    /// <summary>How many calls this fault has applied to so far (e.g. to know that a slow call has arrived).</summary>
    public int Uses(Fault fault)
    {
        lock (_faults) return _used.GetValueOrDefault(fault);
    }

    public Fault ErrCode(int errcode, string? path = null, int? times = null, TimeSpan? lasting = null) =>
        Add(new(FaultKind.ErrCode, path, errcode, times: times, until: Until(lasting)));
    public Fault RateLimit(int callsPerMinute, string? path = null) => Add(new(FaultKind.RateLimit, path, callsPerMinute));
    public Fault HttpStatus(int status, string? path = null, int? times = null, TimeSpan? lasting = null) =>
        Add(new(FaultKind.HttpStatus, path, status, times: times, until: Until(lasting)));
    public Fault Latency(TimeSpan delay, string? path = null, int? times = null, TimeSpan? lasting = null) =>
        Add(new(FaultKind.Latency, path, delay: delay, times: times, until: Until(lasting)));
    public Fault DropConnection(string? path = null, int? times = null) => Add(new(FaultKind.DropConnection, path, times: times));
    public Fault MalformedResponse(string? path = null, int? times = null) => Add(new(FaultKind.MalformedResponse, path, times: times));
    public Fault EmptyResponse(string? path = null, int? times = null) => Add(new(FaultKind.EmptyResponse, path, times: times));

    /// <summary>A fault held for a while (e.g. 45009 for 3 s under a stream of calls) ends that long after now.</summary>
    private DateTimeOffset? Until(TimeSpan? lasting) => lasting is { } span ? _time.GetUtcNow() + span : null;

    /// <summary>Every token issued so far expires now: the next calls get 42001 until a new token is fetched.</summary>
    public void ExpireTokens() => _tokens.ExpireAll();

    /// <summary>Every token issued so far becomes unknown: the next calls get 40014 (OA: 40001).</summary>
    public void RevokeTokens() => _tokens.RevokeAll();

    public void Remove(Fault fault)
    {
        lock (_faults) _faults.Remove(fault);
    }

    public void Clear()
    {
        lock (_faults)
        {
            _faults.Clear();
            _used.Clear();
            _minuteCounts.Clear();
        }
    }

    /// <summary>The faults that apply to this call, in the order added; counts the call against them.</summary>
    internal IReadOnlyList<Fault> Take(string path)
    {
        lock (_faults)
        {
            var applied = new List<Fault>();
            _faults.RemoveAll(f => f.Until <= _time.GetUtcNow());
            foreach (var fault in _faults.Where(f => f.Path is null || f.Path == path).ToArray())
            {
                if (fault.Kind == FaultKind.DropConnection) continue;
                if (fault.Kind == FaultKind.RateLimit)
                {
                    if (CountInMinute(fault, path) > fault.Value) applied.Add(fault);
                    continue;
                }
                Use(fault);
                applied.Add(fault);
            }
            return applied;
        }
    }

    /// <summary>True when a DropConnection fault applies to this call; counts the call against it.</summary>
    internal bool TakeDrop(string path)
    {
        lock (_faults)
        {
            var fault = _faults.FirstOrDefault(f => f.Kind == FaultKind.DropConnection && (f.Path is null || f.Path == path));
            if (fault is null) return false;
            Use(fault);
            return true;
        }
    }

    private void Use(Fault fault)
    {
        var used = _used.GetValueOrDefault(fault) + 1;
        _used[fault] = used;
        if (fault.Times is { } times && used >= times) _faults.Remove(fault);
    }

    private int CountInMinute(Fault fault, string path)
    {
        var minute = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var key = (fault, path, minute);
        var count = _minuteCounts.GetValueOrDefault(key) + 1;
        _minuteCounts[key] = count;
        return count;
    }
}

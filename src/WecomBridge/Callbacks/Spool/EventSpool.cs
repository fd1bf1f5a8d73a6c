using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// The gateway's durable fallback while the broker cannot take an event: an append-only SQLite table in WAL mode
/// with synchronous=FULL, so an appended event survives a crash. Appends that wait together share one commit
/// (<see cref="SpoolDb"/>). Bounded in bytes on disk (Gateway:Spool:MaxBytes; Gateway:Spool:MaxEvents when set):
/// a full spool refuses at once, without touching the disk. Events the broker refuses for good are moved to the
/// `quarantine` table (SpoolQuarantine.cs), which counts toward the same bound.
/// </summary>
internal sealed partial class EventSpool : IDisposable
{
    /// <summary>What a row costs beyond its body, type and id (SQLite's row and index overhead, rounded up).</summary>
    public const int RowOverhead = 64;

    private readonly SpoolDb _db;
    private readonly long _maxBytes;
    private readonly int? _maxEvents;
    private long _depth, _bytes, _reserved, _quarantined;
    private volatile bool _refusing;

    public EventSpool(IOptions<GatewayOptions> options)
    {
        var spool = options.Value.Spool;
        (_maxBytes, _maxEvents) = (spool.MaxBytes, spool.MaxEvents);
        var file = System.IO.Path.GetFullPath(System.IO.Path.Combine(spool.Path, "spool.db"));
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        try
        {
            Directory.CreateDirectory(spool.Path);
            connection.Open();
            Schema.Create(connection);
            Schema.AddTraceParent(connection);
            (_depth, _bytes, _quarantined) = Schema.Count(connection);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            connection.Dispose();
            throw new Hosting.ConfigurationException($"Gateway:Spool:Path '{spool.Path}' cannot hold the spool ({e.GetType().Name}: {e.Message})", e);
        }
        _db = new SpoolDb(connection);
    }

    /// <summary>Events waiting for the broker.</summary>
    public long Depth => Interlocked.Read(ref _depth);

    /// <summary>Events the broker refused for good, kept aside (SpoolQuarantine.cs).</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>Bytes the spool's rows take (both tables, estimated per row), with appends under way.</summary>
    public long Bytes => Interlocked.Read(ref _bytes) + Interlocked.Read(ref _reserved);

    public long MaxBytes => _maxBytes;

    /// <summary>Transactions committed (appends that came together share one).</summary>
    public long Commits => _db.Commits;

    /// <summary>The bound is reached, or an append was refused for room since events last left the spool.</summary>
    public bool IsFull => _refusing || Bytes >= _maxBytes || (_maxEvents is { } max && Depth + Quarantined >= max);

    public static long Cost(string type, string eventId, int bodyBytes) => bodyBytes + type.Length + eventId.Length + RowOverhead;

    /// <summary>Raised after an append, so that the forwarder wakes up.</summary>
    public event Action? Appended;

    /// <summary>
    /// Appends and flushes to disk (with the appends that came meanwhile); false when full or the disk refuses. The
    /// event's trace context (<paramref name="traceParent"/>, W3C) is kept with it and restored when it is forwarded.
    /// </summary>
    public async Task<bool> TryAppendAsync(string type, string eventId, byte[] body, string? traceParent = null)
    {
        var cost = Cost(type, eventId, body.Length);
        if (!Reserve(cost)) return false;
        try
        {
            var spooledAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await _db.RunAsync(db => Schema.Insert(db, type, eventId, body, spooledAt, traceParent));
            Interlocked.Add(ref _bytes, cost);
            Interlocked.Increment(ref _depth);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false; // the disk or the database refused: the callback goes unanswered and is retried
        }
        finally
        {
            Interlocked.Add(ref _reserved, -cost);
        }
        Appended?.Invoke();
        return true;
    }

    /// <summary>Takes room for an append, or refuses at once when the bound is reached (no wait, no disk).</summary>
    private bool Reserve(long cost)
    {
        if (_maxEvents is { } max && Depth + Quarantined >= max)
        {
            _refusing = true;
            return false;
        }
        var total = Interlocked.Add(ref _reserved, cost) + Interlocked.Read(ref _bytes);
        if (total <= _maxBytes) return true;
        Interlocked.Add(ref _reserved, -cost);
        _refusing = true;
        return false;
    }

    /// <summary>Up to <paramref name="max"/> events after id <paramref name="afterId"/>, in the order they were appended.</summary>
    public Task<IReadOnlyList<SpooledEvent>> PeekAsync(long afterId, int max) => _db.RunAsync(db => Schema.Peek(db, afterId, max));

    /// <summary>Removes events the broker confirmed, all in one transaction.</summary>
    public async Task RemoveAsync(IReadOnlyCollection<SpooledEvent> confirmed)
    {
        if (confirmed.Count == 0) return;
        var removed = await _db.RunAsync(db => confirmed.Where(e => Schema.Delete(db, e.Id)).ToList());
        Interlocked.Add(ref _depth, -removed.Count);
        Interlocked.Add(ref _bytes, -removed.Sum(e => Cost(e.Type, e.EventId, e.Body.Length)));
        if (removed.Count > 0) _refusing = false;
    }

    public void Dispose() => _db.Dispose();
}

internal sealed record SpooledEvent(long Id, string Type, string EventId, byte[] Body, string? TraceParent = null);

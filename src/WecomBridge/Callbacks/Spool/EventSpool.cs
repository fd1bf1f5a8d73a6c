using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// The gateway's durable fallback while the broker cannot take an event: an append-only SQLite table in
/// WAL mode with synchronous=FULL, so an appended event survives a crash. Bounded by Spool:MaxEvents.
/// </summary>
internal sealed class EventSpool : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly int _maxEvents;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _confirmedLate = new();
    private long _depth;

    public EventSpool(IOptions<GatewayOptions> options)
    {
        var spool = options.Value.Spool;
        _maxEvents = spool.MaxEvents;
        var file = System.IO.Path.GetFullPath(System.IO.Path.Combine(spool.Path, "spool.db"));
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        try
        {
            Directory.CreateDirectory(spool.Path);
            _db.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            throw new Hosting.ConfigurationException($"Gateway:Spool:Path '{spool.Path}' cannot hold the spool ({e.GetType().Name}: {e.Message})", e);
        }
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " +
                "CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, " +
                "event_id TEXT NOT NULL, body BLOB NOT NULL, spooled_at INTEGER NOT NULL);");
        using var count = _db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM spool";
        _depth = (long)count.ExecuteScalar()!;
    }

    /// <summary>Events waiting for the broker.</summary>
    public long Depth => Interlocked.Read(ref _depth);

    public bool IsFull => Depth >= _maxEvents;

    /// <summary>
    /// The broker confirmed this event after the intake had given up waiting and spooled it: the spooled copy is
    /// redundant, and the forwarder drops it instead of publishing it a second time. Kept in memory only (after a
    /// restart the copy is forwarded: a repeat with the same event id) and bounded.
    /// </summary>
    public void ConfirmedLate(string eventId)
    {
        if (_confirmedLate.Count >= MaxConfirmedLate) _confirmedLate.Clear(); // ids of copies already forwarded: stale
        _confirmedLate[eventId] = 0;
    }

    /// <summary>True (once) when the broker has confirmed the original publish of this spooled event.</summary>
    public bool TakeConfirmedLate(string eventId) => _confirmedLate.TryRemove(eventId, out _);

    private const int MaxConfirmedLate = 10_000;

    /// <summary>Raised after an append, so that the forwarder wakes up.</summary>
    public event Action? Appended;

    /// <summary>Appends and flushes to disk; false when full or the disk refuses.</summary>
    public async Task<bool> TryAppendAsync(string type, string eventId, byte[] body)
    {
        await _gate.WaitAsync();
        try
        {
            if (Depth >= _maxEvents) return false;
            using var insert = _db.CreateCommand();
            insert.CommandText = "INSERT INTO spool (type, event_id, body, spooled_at) VALUES ($t, $e, $b, $at)";
            insert.Parameters.AddWithValue("$t", type);
            insert.Parameters.AddWithValue("$e", eventId);
            insert.Parameters.AddWithValue("$b", body);
            insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
            Interlocked.Increment(ref _depth);
        }
        catch (SqliteException)
        {
            return false;
        }
        finally
        {
            _gate.Release();
        }
        Appended?.Invoke();
        return true;
    }

    /// <summary>The oldest events, in the order they were appended.</summary>
    public async Task<IReadOnlyList<SpooledEvent>> PeekAsync(int max)
    {
        await _gate.WaitAsync();
        try
        {
            using var select = _db.CreateCommand();
            select.CommandText = "SELECT id, type, event_id, body FROM spool ORDER BY id LIMIT $n";
            select.Parameters.AddWithValue("$n", max);
            using var reader = select.ExecuteReader();
            var events = new List<SpooledEvent>();
            while (reader.Read())
                events.Add(new SpooledEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader[3]));
            return events;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes one event the broker confirmed.</summary>
    public async Task RemoveAsync(long id)
    {
        await _gate.WaitAsync();
        try
        {
            using var delete = _db.CreateCommand();
            delete.CommandText = "DELETE FROM spool WHERE id = $id";
            delete.Parameters.AddWithValue("$id", id);
            if (delete.ExecuteNonQuery() == 1) Interlocked.Decrement(ref _depth);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Execute(string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _db.Dispose();
        _gate.Dispose();
    }
}

internal sealed record SpooledEvent(long Id, string Type, string EventId, byte[] Body);

using Microsoft.Data.Sqlite;

namespace WecomBridge.Callbacks.Spool;

/// <summary>The spool's tables and statements. Run on <see cref="SpoolDb"/>'s thread (or before it starts).</summary>
internal static class Schema
{
    public static void Create(SqliteConnection db) => Execute(db,
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " +
        "CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, " +
        "event_id TEXT NOT NULL, body BLOB NOT NULL, spooled_at INTEGER NOT NULL, traceparent TEXT); " +
        "CREATE TABLE IF NOT EXISTS quarantine (id INTEGER PRIMARY KEY, type TEXT NOT NULL, event_id TEXT NOT NULL, " +
        "body BLOB NOT NULL, bytes INTEGER NOT NULL, reason TEXT NOT NULL, spooled_at INTEGER NOT NULL, " +
        "quarantined_at INTEGER NOT NULL);");

    /// <summary>
    /// A spool written before events kept their trace context gets the column (its rows keep none): run after
    /// <see cref="Create"/>, before the first append.
    /// </summary>
    public static void AddTraceParent(SqliteConnection db)
    {
        using var columns = db.CreateCommand();
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('spool') WHERE name = 'traceparent'";
        if ((long)columns.ExecuteScalar()! == 0) Execute(db, "ALTER TABLE spool ADD COLUMN traceparent TEXT");
    }

    /// <summary>Events waiting, the bytes of both tables (as <see cref="EventSpool.Cost"/> counts them), events quarantined.</summary>
    public static (long Depth, long Bytes, long Quarantined) Count(SqliteConnection db)
    {
        var cost = $"length(CAST(body AS BLOB)) + length(type) + length(event_id) + {EventSpool.RowOverhead}";
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT (SELECT COUNT(*) FROM spool), (SELECT COALESCE(SUM({cost}), 0) FROM spool) + " +
                              $"(SELECT COALESCE(SUM({cost}), 0) FROM quarantine), (SELECT COUNT(*) FROM quarantine)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public static long Insert(SqliteConnection db, string type, string eventId, byte[] body, long spooledAt, string? traceParent = null)
    {
        using var insert = db.CreateCommand();
        insert.CommandText = "INSERT INTO spool (type, event_id, body, spooled_at, traceparent) VALUES ($t, $e, $b, $at, $tp); " +
                             "SELECT last_insert_rowid()";
        insert.Parameters.AddWithValue("$t", type);
        insert.Parameters.AddWithValue("$e", eventId);
        insert.Parameters.AddWithValue("$b", body);
        insert.Parameters.AddWithValue("$at", spooledAt);
        insert.Parameters.AddWithValue("$tp", (object?)traceParent ?? DBNull.Value);
        return (long)insert.ExecuteScalar()!;
    }

    public static IReadOnlyList<SpooledEvent> Peek(SqliteConnection db, long afterId, int max)
    {
        using var select = db.CreateCommand();
        select.CommandText = "SELECT id, type, event_id, body, traceparent FROM spool WHERE id > $after ORDER BY id LIMIT $n";
        select.Parameters.AddWithValue("$after", afterId);
        select.Parameters.AddWithValue("$n", max);
        using var reader = select.ExecuteReader();
        var events = new List<SpooledEvent>();
        while (reader.Read())
            events.Add(new SpooledEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader[3],
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        return events;
    }

    public static bool Delete(SqliteConnection db, long id)
    {
        using var delete = db.CreateCommand();
        delete.CommandText = "DELETE FROM spool WHERE id = $id";
        delete.Parameters.AddWithValue("$id", id);
        return delete.ExecuteNonQuery() == 1;
    }

    /// <summary>Moves one event from the spool to the quarantine; false when it was no longer in the spool.</summary>
    public static bool Quarantine(SqliteConnection db, long id, string reason, long at)
    {
        using var move = db.CreateCommand();
        move.CommandText = "INSERT INTO quarantine (id, type, event_id, body, bytes, reason, spooled_at, quarantined_at) " +
                           "SELECT id, type, event_id, body, length(CAST(body AS BLOB)), $reason, spooled_at, $at FROM spool WHERE id = $id";
        move.Parameters.AddWithValue("$id", id);
        move.Parameters.AddWithValue("$reason", reason);
        move.Parameters.AddWithValue("$at", at);
        return move.ExecuteNonQuery() == 1 && Delete(db, id);
    }

    /// <summary>Quarantined events after id <paramref name="afterId"/>, oldest first, without their bodies.</summary>
    public static IReadOnlyList<QuarantinedEvent> ListQuarantine(SqliteConnection db, long afterId, int max)
    {
        using var select = db.CreateCommand();
        select.CommandText = "SELECT id, event_id, type, bytes, reason, spooled_at, quarantined_at FROM quarantine " +
                             "WHERE id > $after ORDER BY id LIMIT $n";
        select.Parameters.AddWithValue("$after", afterId);
        select.Parameters.AddWithValue("$n", max);
        using var reader = select.ExecuteReader();
        var events = new List<QuarantinedEvent>();
        while (reader.Read())
            events.Add(new QuarantinedEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        return events;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>What the operator sees of a quarantined event: never its body.</summary>
internal sealed record QuarantinedEvent(long Id, string EventId, string Type, long Bytes, string Reason,
    DateTimeOffset SpooledAt, DateTimeOffset QuarantinedAt);

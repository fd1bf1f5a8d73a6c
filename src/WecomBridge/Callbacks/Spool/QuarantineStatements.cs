using Microsoft.Data.Sqlite;

namespace WecomBridge.Callbacks.Spool;

/// <summary>The quarantine's own statements for operators' actions. Run on <see cref="SpoolDb"/>'s thread.</summary>
internal static class QuarantineStatements
{
    /// <summary>One quarantined event with its body; null when there is none with that id.</summary>
    public static (QuarantinedEvent Event, byte[] Body)? Get(SqliteConnection db, long id)
    {
        using var select = db.CreateCommand();
        select.CommandText = "SELECT id, event_id, type, bytes, reason, spooled_at, quarantined_at, body FROM quarantine WHERE id = $id";
        select.Parameters.AddWithValue("$id", id);
        using var reader = select.ExecuteReader();
        if (!reader.Read()) return null;
        return (new QuarantinedEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))),
            (byte[])reader[7]);
    }

    /// <summary>Moves a quarantined event back into the spool (a new spool id: it is forwarded as if just spooled).</summary>
    public static QuarantinedEvent? Replay(SqliteConnection db, long id, long spooledAt)
    {
        if (Get(db, id) is not { } found) return null;
        Schema.Insert(db, found.Event.Type, found.Event.EventId, found.Body, spooledAt);
        return Delete(db, id) ? found.Event : null;
    }

    /// <summary>Deletes a quarantined event for good; null when there is none with that id.</summary>
    public static QuarantinedEvent? Discard(SqliteConnection db, long id) =>
        Get(db, id) is { } found && Delete(db, id) ? found.Event : null;

    private static bool Delete(SqliteConnection db, long id)
    {
        using var delete = db.CreateCommand();
        delete.CommandText = "DELETE FROM quarantine WHERE id = $id";
        delete.Parameters.AddWithValue("$id", id);
        return delete.ExecuteNonQuery() == 1;
    }
}

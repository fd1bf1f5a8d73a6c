using Npgsql;

namespace WecomBridge.Pool;

/// <summary>
/// Erasure in PostgreSQL. Every event's transaction holds its corp's (account's) advisory lock in shared mode; an erasure
/// holds it exclusively while it writes the tombstone and deletes the rows. So an event either committed before the
/// erasure (and its rows are deleted) or starts after it and sees the tombstone: an older event still in flight never
/// brings the person back, a newer one (a new add) does.
/// </summary>
internal sealed partial class PostgresPoolStore
{
    /// <summary>The first key of the pool's two-key advisory locks ("WBPL"); the second is hashtext of the lock scope.</summary>
    internal const int LockClass = 0x5742_504C;

    internal sealed record Unerased(PoolChange? Change);

    /// <summary>
    /// In one round trip: the scope's shared lock, the event id recorded (null when it was applied before), and which of
    /// the people the change names were erased at or after its time (the change without them).
    /// </summary>
    private static async Task<Unerased?> BeginAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string eventId, PoolChange change,
        CancellationToken ct)
    {
        var (scope, subjects) = PoolErasure.Of(change);
        await using var batch = new NpgsqlBatch(connection, tx);
        Add(batch, "SELECT pg_advisory_xact_lock_shared(@class, hashtext(@scope))", ("class", LockClass), ("scope", scope));
        Add(batch, "INSERT INTO pool.applied_events (event_id) VALUES (@id) ON CONFLICT DO NOTHING RETURNING 1", ("id", eventId));
        Add(batch, "SELECT subject_hash FROM pool.erasures WHERE subject_hash = ANY(@hashes) AND erased_at >= @at",
            ("hashes", subjects.Select(s => s.Hash).ToArray()), ("at", change.At));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        await reader.NextResultAsync(ct);
        var erased = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) erased.Add(reader.GetString(0));
        if (erased.Count == 0) return new Unerased(change);
        var ids = subjects.Where(s => erased.Contains(s.Hash)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return new Unerased(PoolErasure.Without(change, ids));
    }

    public async Task<bool> EraseAsync(PoolSubject subject, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx);
        Add(batch, "SELECT pg_advisory_xact_lock(@class, hashtext(@scope))", ("class", LockClass), ("scope", subject.LockScope));
        Add(batch, """
            INSERT INTO pool.erasures AS e (subject_hash, erased_at) VALUES (@hash, @at)
            ON CONFLICT (subject_hash) DO UPDATE SET erased_at = GREATEST(e.erased_at, excluded.erased_at)
            """, ("hash", subject.Hash), ("at", at));
        var deletes = subject.Kind == PoolSubject.ContactKind
            ? new[]
            {
                "DELETE FROM pool.follow_relations WHERE corp = @scope AND external_user_id = @id",
                "DELETE FROM pool.group_members WHERE corp = @scope AND member_id = @id",
                "DELETE FROM pool.contacts WHERE corp = @scope AND external_user_id = @id",
            }
            : ["DELETE FROM pool.followers WHERE account = @scope AND open_id = @id"];
        foreach (var sql in deletes) Add(batch, sql, ("scope", subject.Scope), ("id", subject.Id));
        await batch.ExecuteNonQueryAsync(ct);
        var removed = Enumerable.Range(2, deletes.Length).Sum(i => batch.BatchCommands[i].RecordsAffected);
        await tx.CommitAsync(ct);
        return removed > 0;
    }
}

using Npgsql;

namespace WecomBridge.Pool;

/// <summary>
/// The retention pass in PostgreSQL, one instance at a time (a session advisory lock: another instance's pass finds it
/// held and skips), each kind of row in batches of short transactions so that the projection is never held up long.
/// </summary>
internal sealed partial class PostgresPoolStore
{
    /// <summary>The retention pass's advisory lock ("WBPRUNE1"), apart from the schema's.</summary>
    private const long PruneLockKey = 0x5742_5052_554E_4531;

    /// <summary>Contacts with no relation left since before the cutoff and in no group chat since before it.</summary>
    private const string Gone = """
        NOT EXISTS (SELECT 1 FROM pool.follow_relations a WHERE a.corp = @corp_ AND a.external_user_id = @ext_
                    AND (a.deleted_at IS NULL OR a.deleted_at >= @cutoff))
        AND NOT EXISTS (SELECT 1 FROM pool.group_members m WHERE m.corp = @corp_ AND m.member_id = @ext_
                    AND (m.left_at IS NULL OR m.left_at >= @cutoff))
        """;

    public async Task<PoolPruned?> PruneAsync(PoolCutoffs cutoffs, int batchSize, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var take = Command(connection, $"SELECT pg_try_advisory_lock({PruneLockKey})"))
            if (!(bool)(await take.ExecuteScalarAsync(ct))!) return null;
        try
        {
            var contacts = 0;
            while (await PurgeContactsAsync(connection, cutoffs.DeletedContacts, batchSize, ct) is var n and > 0) contacts += n;
            var followers = await DeleteInBatchesAsync(connection, """
                DELETE FROM pool.followers f WHERE NOT f.subscribed AND f.changed_at < @cutoff AND (f.account, f.open_id) IN (
                    SELECT account, open_id FROM pool.followers WHERE NOT subscribed AND changed_at < @cutoff LIMIT @batch)
                """, cutoffs.UnsubscribedFollowers, batchSize, ct);
            var events = await DeleteInBatchesAsync(connection, """
                DELETE FROM pool.applied_events WHERE event_id IN (
                    SELECT event_id FROM pool.applied_events WHERE applied_at < @cutoff LIMIT @batch)
                """, cutoffs.AppliedEvents, batchSize, ct);
            var erasures = await DeleteInBatchesAsync(connection, """
                DELETE FROM pool.erasures WHERE subject_hash IN (SELECT subject_hash FROM pool.erasures WHERE erased_at < @cutoff LIMIT @batch)
                """, cutoffs.AppliedEvents, batchSize, ct);
            return new PoolPruned(contacts, followers, events, erasures);
        }
        finally
        {
            await using var release = Command(connection, $"SELECT pg_advisory_unlock({PruneLockKey})");
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// One batch: the candidates, then per corp, under its exclusive lock (no event of the corp applies meanwhile), each
    /// one checked again and its relations, memberships and contact row deleted together. Contacts purged.
    /// </summary>
    private static async Task<int> PurgeContactsAsync(NpgsqlConnection connection, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var candidates = new List<(string Corp, string Ext)>();
        await using (var find = Command(connection, $"""
            SELECT DISTINCT r.corp, r.external_user_id FROM pool.follow_relations r
            WHERE r.deleted_at < @cutoff AND {Gone.Replace("@corp_", "r.corp").Replace("@ext_", "r.external_user_id")}
            LIMIT @batch
            """, ("cutoff", cutoff), ("batch", batchSize)))
        await using (var reader = await find.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) candidates.Add((reader.GetString(0), reader.GetString(1)));
        var purged = 0;
        foreach (var corp in candidates.GroupBy(c => c.Corp, StringComparer.Ordinal))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var batch = new NpgsqlBatch(connection, tx);
            Add(batch, "SELECT pg_advisory_xact_lock(@class, hashtext(@scope))", ("class", LockClass),
                ("scope", PoolErasure.LockScope(PoolSubject.ContactKind, corp.Key)));
            Add(batch, $"""
                WITH gone AS (SELECT u.ext FROM unnest(@ids) AS u(ext) WHERE {Gone.Replace("@corp_", "@corp").Replace("@ext_", "u.ext")}),
                relations AS (DELETE FROM pool.follow_relations WHERE corp = @corp AND external_user_id IN (SELECT ext FROM gone)),
                memberships AS (DELETE FROM pool.group_members WHERE corp = @corp AND member_id IN (SELECT ext FROM gone))
                DELETE FROM pool.contacts WHERE corp = @corp AND external_user_id IN (SELECT ext FROM gone)
                """, ("corp", corp.Key), ("ids", corp.Select(c => c.Ext).ToArray()), ("cutoff", cutoff));
            await batch.ExecuteNonQueryAsync(ct);
            purged += batch.BatchCommands[1].RecordsAffected;
            await tx.CommitAsync(ct);
        }
        return purged; // 0 ends the pass's loop: none left, or the rest changed meanwhile (the next pass looks again)
    }

    private static async Task<int> DeleteInBatchesAsync(NpgsqlConnection connection, string sql, DateTimeOffset cutoff, int batchSize,
        CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var delete = Command(connection, sql, ("cutoff", cutoff), ("batch", batchSize));
            var n = await delete.ExecuteNonQueryAsync(ct);
            total += n;
            if (n < batchSize) return total;
        }
    }
}

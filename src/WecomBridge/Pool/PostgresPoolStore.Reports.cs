using Npgsql;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>Reported interactions, the scheduled stage pass and the outbox, in PostgreSQL.</summary>
internal sealed partial class PostgresPoolStore
{
    /// <summary>The stage pass's advisory lock ("WBSTAGE1"): one instance runs it at a time.</summary>
    private const long PassLockKey = 0x5742_5354_4147_4531;

    public async Task<ReportOutcome> ReportAsync(string eventId, PoolChange change, CancellationToken ct = default)
    {
        var (table, where, parameters) = change switch
        {
            ContactInteraction c => ("contacts", "corp = @a AND external_user_id = @b",
                new (string, object?)[] { ("a", c.Corp), ("b", c.ExternalUserId) }),
            FollowerInteraction f => ("followers", "account = @a AND open_id = @b", [("a", f.Account), ("b", f.OpenId)]),
            _ => throw new ArgumentException($"Not a reported interaction: {change.GetType().Name}", nameof(change)),
        };
        var stage = table == "contacts" ? "stage" : "NULL::text";
        var read = $"SELECT last_interaction_at, last_interaction_kind, {stage} FROM pool.{table} WHERE {where}";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await ActivityOfAsync(connection, tx, read + " FOR UPDATE", parameters, ReportStatus.Applied, ct) is null)
            return new ReportOutcome(ReportStatus.Unknown, null, null, null);
        await using (var applied = Command(connection, "INSERT INTO pool.applied_events (event_id) VALUES (@id) ON CONFLICT DO NOTHING",
            ("id", eventId)))
        {
            applied.Transaction = tx;
            if (await applied.ExecuteNonQueryAsync(ct) == 0)
                return (await ActivityOfAsync(connection, tx, read, parameters, ReportStatus.Duplicate, ct))!;
        }
        await ActivityAsync(connection, tx, change, ct);
        var outcome = (await ActivityOfAsync(connection, tx, read, parameters, ReportStatus.Applied, ct))!;
        await tx.CommitAsync(ct);
        Rules.Outbox.Notify();
        return outcome;
    }

    private static async Task<ReportOutcome?> ActivityOfAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql,
        (string, object?)[] parameters, ReportStatus status, CancellationToken ct)
    {
        await using var c = Command(connection, sql, parameters);
        c.Transaction = tx;
        await using var reader = await c.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ReportOutcome(status, Time(reader, 0), Text(reader, 1), Text(reader, 2)) : null;
    }

    public async Task<int?> RestageAllAsync(DateTimeOffset now, int batchSize, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var lockCommand = Command(connection, $"SELECT pg_try_advisory_lock({PassLockKey})"))
            if (await lockCommand.ExecuteScalarAsync(ct) is not true) return null;
        try
        {
            var changed = 0;
            var (corp, ext) = ("", "");
            while (true)
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                var facts = await FactsAsync(connection, tx, """
                    (c.corp, c.external_user_id) > (@corp, @ext) ORDER BY c.corp, c.external_user_id LIMIT @limit
                    """, ct, [("corp", corp), ("ext", ext), ("limit", batchSize)]);
                var outbox = new List<OutboxEvent>();
                await RestageAsync(connection, tx, facts, now, outbox, ct);
                await tx.CommitAsync(ct);
                changed += outbox.Count;
                if (outbox.Count > 0) Rules.Outbox.Notify();
                if (facts.Count < batchSize) break;
                (corp, ext) = (facts[^1].Corp, facts[^1].ExternalUserId);
            }
            // The burst guard's counts are needed for a minute and the one after it; a day is plenty for late events.
            await using (var prune = Command(connection, "DELETE FROM pool.channel_adds WHERE minute < @before", ("before", now.AddDays(-1))))
                await prune.ExecuteNonQueryAsync(ct);
            return changed;
        }
        finally
        {
            await using var unlock = Command(connection, $"SELECT pg_advisory_unlock({PassLockKey})");
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Rows are locked while published (SKIP LOCKED: instances share the work); each published one is deleted.</summary>
    public async Task<int> PublishOutboxAsync(Func<OutboxEvent, Task> publish, int max, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = new List<OutboxEvent>();
        await using (var c = Command(connection, """
            SELECT event_id, type, body, created_at FROM pool.outbox ORDER BY created_at LIMIT @max FOR UPDATE SKIP LOCKED
            """, ("max", max)))
        {
            c.Transaction = tx;
            await using var reader = await c.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add(new OutboxEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), Time(reader, 3)!.Value));
        }
        var published = new List<string>();
        try
        {
            foreach (var row in rows)
            {
                await publish(row);
                published.Add(row.EventId);
            }
        }
        finally
        {
            // Those published before a failure are deleted; the others stay for the next round (published at least once).
            await using var delete = Command(connection, "DELETE FROM pool.outbox WHERE event_id = ANY(@ids)", ("ids", published.ToArray()));
            delete.Transaction = tx;
            await delete.ExecuteNonQueryAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        return published.Count;
    }
}

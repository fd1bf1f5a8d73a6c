using Npgsql;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>
/// The channel burst guard in PostgreSQL, shared by every dispatcher: adds per corp, state and minute (of the events'
/// time) counted in pool.channel_adds. The count's row lock orders the adds of one minute, so exactly one of them
/// finds the minute going over the limit.
/// </summary>
internal sealed partial class PostgresPoolStore
{
    /// <summary>Counts the add in its minute (the statement returns adds and burst_started_at); the limit, 0 when none.</summary>
    private int CountAdd(NpgsqlBatch batch, RelationAdded c, string state)
    {
        var limit = Rules.BurstLimit(state);
        if (limit <= 0) return 0;
        Add(batch, """
            INSERT INTO pool.channel_adds AS a (corp, state, minute, adds) VALUES (@corp, @state, @minute, 1)
            ON CONFLICT (corp, state, minute) DO UPDATE SET adds = a.adds + 1
            RETURNING adds, burst_started_at
            """, ("corp", c.Corp), ("state", state), ("minute", Minute(c.At)));
        return limit;
    }

    /// <summary>The add went over <paramref name="limit"/>: flags the contacts of the burst, and says when one starts.</summary>
    private static async Task BurstAsync(NpgsqlConnection connection, NpgsqlTransaction tx, RelationAdded c, int limit, int adds,
        DateTimeOffset? started, List<OutboxEvent> outbox, CancellationToken ct)
    {
        var state = c.State!;
        var minute = Minute(c.At);
        if (started is { } since)
        {
            await FlagAsync(connection, tx, "corp = @corp AND external_user_id = @ext AND burst_flagged_at IS NULL", ct,
                ("since", since), ("corp", c.Corp), ("ext", c.ExternalUserId));
            return;
        }
        // The minute goes over the limit now: part of the burst of the minute before when that one was over it too.
        var previous = await ScalarTimeAsync(connection, tx,
            "SELECT burst_started_at FROM pool.channel_adds WHERE corp = @corp AND state = @state AND minute = @minute",
            ct, ("corp", c.Corp), ("state", state), ("minute", minute.AddMinutes(-1)));
        since = previous ?? minute;
        await using (var mark = Command(connection, """
            UPDATE pool.channel_adds SET burst_started_at = @since WHERE corp = @corp AND state = @state AND minute = @minute
            """, ("since", since), ("corp", c.Corp), ("state", state), ("minute", minute)))
        {
            mark.Transaction = tx;
            await mark.ExecuteNonQueryAsync(ct);
        }
        await FlagAsync(connection, tx, """
            corp = @corp AND burst_flagged_at IS NULL AND external_user_id IN (SELECT r.external_user_id FROM pool.follow_relations r
                WHERE r.corp = @corp AND r.state = @state AND r.deleted_at IS NULL AND r.added_at >= @minute AND r.added_at < @next)
            """, ct, ("since", since), ("corp", c.Corp), ("state", state), ("minute", minute), ("next", minute.AddMinutes(1)));
        if (previous is null) outbox.Add(ActivityEvents.BurstDetected(c.Corp, state, since, adds, limit, c.At));
    }

    /// <summary>The start of the minute <paramref name="at"/> is in (UTC).</summary>
    internal static DateTimeOffset Minute(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    private static async Task FlagAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string where, CancellationToken ct,
        params (string, object?)[] parameters)
    {
        await using var flag = Command(connection, $"UPDATE pool.contacts SET burst_flagged_at = @since WHERE {where}", parameters);
        flag.Transaction = tx;
        await flag.ExecuteNonQueryAsync(ct);
    }

    private static async Task<DateTimeOffset?> ScalarTimeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql,
        CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var c = Command(connection, sql, parameters);
        c.Transaction = tx;
        return await c.ExecuteScalarAsync(ct) is DateTime t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }
}

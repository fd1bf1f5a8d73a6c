using Npgsql;
using NpgsqlTypes;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>
/// The pool in PostgreSQL, shared by every dispatcher of a deployment. One transaction per event: its id goes into
/// pool.applied_events first (a duplicate stops there), then each statement changes a row only when the row's last
/// change is not newer than the event (the <c>WHERE … changed_at &lt;= …</c> of every upsert), so order does not matter.
/// </summary>
internal sealed partial class PostgresPoolStore(NpgsqlDataSource dataSource, ActivityRules? rules = null) : IPoolStore
{
    public async Task<bool> ApplyAsync(string eventId, PoolChange change, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var unerased = await BeginAsync(connection, tx, eventId, change, ct); // PostgresPoolStore.Privacy.cs
        if (unerased is null) return false; // applied before (or by a concurrent delivery)
        if (unerased.Change is not { } kept)
        {
            await tx.CommitAsync(ct); // it names only people erased after it: recorded as applied, nothing else
            return true;
        }
        change = kept;
        // The change's statements go in one round trip with the activity's (ActivityAsync runs the batch).
        var batch = new NpgsqlBatch(connection, tx);
        switch (change)
        {
            case RelationAdded c: Added(batch, c); break;
            case RelationDeleted c: Deleted(batch, c); break;
            case ContactRead c: Read(batch, c); break;
            case ChatMembersRead c: Read(batch, c); break;
            case ChatMembersChanged c: Changed(batch, c); break;
            case ChatDismissed c: Dismissed(batch, c); break;
            case FollowerSubscription c: Subscription(batch, c); break;
            case FollowerRead c: Read(batch, c); break;
            case ContactInteraction or FollowerInteraction: break; // activity only
            default:
                await batch.DisposeAsync();
                throw new ArgumentException($"Unknown pool change {change.GetType().Name}", nameof(change));
        }
        var wrote = await ActivityAsync(connection, tx, change, ct, batch);
        await tx.CommitAsync(ct);
        if (wrote) Rules.Outbox.Notify();
        return true;
    }

    private static void Add(NpgsqlBatch batch, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.Add(Parameter(name, value));
        batch.BatchCommands.Add(command);
    }

    /// <summary>Typed parameters, so that a null one still has a type PostgreSQL can check (<c>@state IS NULL</c>).</summary>
    internal static NpgsqlParameter Parameter(string name, object? value) => value switch
    {
        null => new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = DBNull.Value },
        DateTimeOffset t => new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = t.UtcDateTime },
        TimeAt t => new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = t.Value is { } v ? v.UtcDateTime : DBNull.Value },
        IntAt i => new NpgsqlParameter(name, NpgsqlDbType.Integer) { Value = i.Value is { } v ? v : DBNull.Value },
        string[] a => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = a },
        int[] a => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = a },
        int?[] a => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = a },
        DateTime?[] a => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = a },
        _ => new NpgsqlParameter(name, value),
    };

    /// <summary>A nullable time or number as a parameter of its own type even when null.</summary>
    internal readonly record struct TimeAt(DateTimeOffset? Value);

    internal readonly record struct IntAt(int? Value);
}

using Npgsql;
using NpgsqlTypes;

namespace WecomBridge.Journeys.Triggers;

/// <summary>
/// The corp tags a contact read adds, remembered per event from before the pool applies it until the journeys it
/// triggers are enrolled (and exited). A redelivered read finds the pool already showing its tags, so it adds none by
/// itself; what the first delivery remembered lets it finish the enrolments and exits a failure cut short.
/// PostgreSQL (journeys.pending_tags, shared by every dispatcher) or memory in the embedded mode.
/// </summary>
internal interface IJourneyTagLedger
{
    /// <summary>
    /// Remembers <paramref name="added"/> for the event unless something was remembered for it before; returns what is
    /// remembered for it (the first delivery's tags), or <paramref name="added"/> when nothing is and it is empty.
    /// </summary>
    Task<IReadOnlySet<string>> RememberAsync(string eventId, IReadOnlySet<string> added, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Drops the event's tags once their enrolments and exits are done.</summary>
    Task ForgetAsync(string eventId, CancellationToken ct = default);

    /// <summary>
    /// Drops at most <paramref name="limit"/> events remembered before <paramref name="before"/> (reads never redelivered);
    /// returns how many.
    /// </summary>
    Task<int> PruneAsync(DateTimeOffset before, int limit, CancellationToken ct = default);
}

internal sealed class PostgresJourneyTagLedger(NpgsqlDataSource dataSource) : IJourneyTagLedger
{
    public async Task<IReadOnlySet<string>> RememberAsync(string eventId, IReadOnlySet<string> added, DateTimeOffset at,
        CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // The insert's RETURNING is the row when it is new; the plain SELECT (which does not see that insert) the row before.
        await using var command = new NpgsqlCommand(added.Count == 0
            ? "SELECT tag_ids FROM journeys.pending_tags WHERE event_id = @id"
            : """
              WITH kept AS (
                  INSERT INTO journeys.pending_tags (event_id, tag_ids, created_at) VALUES (@id, @tags, @at)
                  ON CONFLICT (event_id) DO NOTHING RETURNING tag_ids)
              SELECT tag_ids FROM kept UNION ALL SELECT tag_ids FROM journeys.pending_tags WHERE event_id = @id LIMIT 1
              """, connection);
        command.Parameters.AddWithValue("id", eventId);
        command.Parameters.Add(new NpgsqlParameter("tags", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = added.ToArray() });
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteScalarAsync(ct) is string[] tags ? tags.ToHashSet(StringComparer.Ordinal) : added;
    }

    public async Task ForgetAsync(string eventId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("DELETE FROM journeys.pending_tags WHERE event_id = @id", connection);
        command.Parameters.AddWithValue("id", eventId);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> PruneAsync(DateTimeOffset before, int limit, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One short statement per batch (index pending_tags_created_at): redeliveries that remember or forget meanwhile wait little.
        await using var command = new NpgsqlCommand("""
            DELETE FROM journeys.pending_tags WHERE event_id IN (
                SELECT event_id FROM journeys.pending_tags WHERE created_at < @before ORDER BY created_at LIMIT @limit)
            """, connection);
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(ct);
    }
}

internal sealed class InMemoryJourneyTagLedger : IJourneyTagLedger
{
    /// <summary>The latest events remembered (an event whose redelivery has not come after this many others is dropped).</summary>
    private const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (IReadOnlySet<string> Tags, DateTimeOffset At)> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public Task<IReadOnlySet<string>> RememberAsync(string eventId, IReadOnlySet<string> added, DateTimeOffset at, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(eventId, out var kept)) return Task.FromResult(kept.Tags);
            if (added.Count == 0) return Task.FromResult(added);
            while (_order.Count >= Capacity && _order.TryDequeue(out var oldest)) _pending.Remove(oldest);
            _pending[eventId] = (added, at);
            _order.Enqueue(eventId);
            return Task.FromResult(added);
        }
    }

    public Task ForgetAsync(string eventId, CancellationToken ct = default)
    {
        lock (_gate) _pending.Remove(eventId);
        return Task.CompletedTask;
    }

    public Task<int> PruneAsync(DateTimeOffset before, int limit, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var expired = _pending.Where(p => p.Value.At < before).OrderBy(p => p.Value.At).Take(limit).Select(p => p.Key).ToList();
            foreach (var eventId in expired) _pending.Remove(eventId);
            return Task.FromResult(expired.Count);
        }
    }
}

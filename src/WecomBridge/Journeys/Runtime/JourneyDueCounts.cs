namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Steps due now and not held by a runner, per corp, with the due time of the oldest: what the journey gauges show
/// (<see cref="Views.JourneyMetrics"/>). Counts only, never a contact. PostgreSQL reads the range of the index on
/// due_at up to now (the backlog, not every timer); memory counts under the store's lock.
/// </summary>
internal interface IJourneyDueCounts
{
    Task<IReadOnlyList<DueCount>> CountDueAsync(DateTimeOffset now, CancellationToken ct = default);
}

/// <summary>Steps of a corp due at or before now, and the earliest due time among them.</summary>
internal sealed record DueCount(string Corp, long Steps, DateTimeOffset Oldest);

internal sealed partial class InMemoryJourneyStore : IJourneyDueCounts
{
    public Task<IReadOnlyList<DueCount>> CountDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DueCount> counts = [.. _timers.Where(t => t.Value.DueAt <= now)
                .GroupBy(t => _enrolments[t.Key].Corp, StringComparer.Ordinal)
                .Select(g => new DueCount(g.Key, g.LongCount(), g.Min(t => t.Value.DueAt)))];
            return Task.FromResult(counts);
        }
    }
}

internal sealed partial class PostgresJourneyStore : IJourneyDueCounts
{
    public async Task<IReadOnlyList<DueCount>> CountDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection, null, """
            SELECT e.corp, count(*), min(t.due_at) FROM journeys.timers t JOIN journeys.enrolments e ON e.id = t.enrolment_id
            WHERE t.due_at <= @now GROUP BY e.corp
            """, ("now", now));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new List<DueCount>();
        while (await reader.ReadAsync(ct))
            counts.Add(new DueCount(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return counts;
    }
}

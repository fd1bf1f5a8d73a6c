using Npgsql;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Journeys.Runtime;

internal sealed partial class PostgresJourneyStore
{
    public async Task<IReadOnlyList<Enrolment>> RunningAsync(string corp, string externalUserId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection, null, $"""
            SELECT {EnrolmentColumns} FROM journeys.enrolments e WHERE corp = @corp AND external_user_id = @ext AND state = 'running'
            ORDER BY enrolled_at
            """, ("corp", corp), ("ext", externalUserId));
        return await ReadEnrolmentsAsync(command, ct);
    }

    public async Task<int> WakeAsync(string corp, string externalUserId, string eventKind, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ExecuteAsync(connection, null, """
            UPDATE journeys.timers t SET due_at = GREATEST(t.step_due_at, @now), waiting_for = NULL
            FROM journeys.enrolments e
            WHERE e.id = t.enrolment_id AND e.corp = @corp AND e.external_user_id = @ext AND e.state = 'running'
              AND t.waiting_for = @kind AND t.lease_owner IS NULL
            """, ct, ("now", now), ("corp", corp), ("ext", externalUserId), ("kind", eventKind));
    }

    public async Task<JourneyCounts> CountAsync(string corp, string journeyId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var states = new Dictionary<string, int>();
        await using (var command = Command(connection, null, """
            SELECT state, count(*)::int FROM journeys.enrolments WHERE corp = @corp AND journey_id = @journey GROUP BY state
            """, ("corp", corp), ("journey", journeyId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) states[reader.GetString(0)] = reader.GetInt32(1);
        var steps = new Dictionary<string, StepCounts>(StringComparer.Ordinal);
        StepCounts Of(string id) => steps.TryGetValue(id, out var c) ? c : new StepCounts(0, 0, 0, 0);
        await using (var command = Command(connection, null, """
            SELECT t.step_id, count(*)::int FROM journeys.timers t JOIN journeys.enrolments e ON e.id = t.enrolment_id
            WHERE e.corp = @corp AND e.journey_id = @journey AND e.state = 'running' GROUP BY t.step_id
            """, ("corp", corp), ("journey", journeyId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) steps[reader.GetString(0)] = Of(reader.GetString(0)) with { Due = reader.GetInt32(1) };
        await using (var command = Command(connection, null, """
            SELECT step_id, outcome, count(*)::int FROM journeys.steps WHERE corp = @corp AND journey_id = @journey GROUP BY step_id, outcome
            """, ("corp", corp), ("journey", journeyId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var (id, n, c) = (reader.GetString(0), reader.GetInt32(2), Of(reader.GetString(0)));
                steps[id] = reader.GetString(1) switch
                {
                    StepOutcomes.Taken => c with { Taken = n },
                    StepOutcomes.Skipped => c with { Skipped = n },
                    _ => c with { Failed = n },
                };
            }
        int State(string s) => states.GetValueOrDefault(s);
        return new JourneyCounts(states.Values.Sum(), State(EnrolmentStates.Running), State(EnrolmentStates.Completed), State(EnrolmentStates.Exited),
            steps);
    }

    public async Task<IReadOnlyList<EnrolmentHistory>> HistoryAsync(string corp, string externalUserId, int limit, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        List<Enrolment> enrolments;
        await using (var command = Command(connection, null, $"""
            SELECT {EnrolmentColumns} FROM journeys.enrolments e WHERE corp = @corp AND external_user_id = @ext
            ORDER BY enrolled_at DESC, id LIMIT @limit
            """, ("corp", corp), ("ext", externalUserId), ("limit", limit)))
            enrolments = await ReadEnrolmentsAsync(command, ct);
        var ids = enrolments.Select(e => e.Id).ToArray();
        var steps = ids.ToDictionary(id => id, _ => new List<StepRecord>());
        await using (var command = Command(connection, null, """
            SELECT enrolment_id, step_index, step_id, outcome, reason, message_id, at FROM journeys.steps WHERE enrolment_id = ANY(@ids)
            ORDER BY step_index
            """, ("ids", ids)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                steps[reader.GetGuid(0)].Add(new StepRecord(reader.GetInt32(1), reader.GetString(2), reader.GetString(3), String(reader, 4),
                    String(reader, 5), reader.GetFieldValue<DateTimeOffset>(6), ""));
        var next = new Dictionary<Guid, NextStep>();
        await using (var command = Command(connection, null, """
            SELECT enrolment_id, step_index, step_id, step_due_at, waiting_for FROM journeys.timers WHERE enrolment_id = ANY(@ids)
            """, ("ids", ids)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                next[reader.GetGuid(0)] = new NextStep(reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                    String(reader, 4));
        return enrolments.Select(e => new EnrolmentHistory(e, steps[e.Id], next.GetValueOrDefault(e.Id))).ToList();
    }

    private static async Task<List<Enrolment>> ReadEnrolmentsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var list = new List<Enrolment>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(ReadEnrolment(reader));
        return list;
    }

    private static Enrolment ReadEnrolment(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInt32(3),
        r.GetString(4), String(r, 5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7), r.GetString(8), String(r, 9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), String(r, 11));

    private static string? String(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static async Task WriteEventsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<OutboxEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
            await ExecuteAsync(connection, tx, """
                INSERT INTO pool.outbox (event_id, type, body, created_at) VALUES (@id, @type, @body, @at) ON CONFLICT DO NOTHING
                """, ct, ("id", e.EventId), ("type", e.Type), ("body", e.Body), ("at", e.CreatedAt));
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}

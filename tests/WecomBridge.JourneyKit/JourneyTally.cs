using Npgsql;

namespace WecomBridge.JourneyKit;

/// <summary>
/// What the journey tables hold after a run, counted three ways for "each step once": rows in journeys.steps (one per
/// enrolment and step, the primary key), their distinct message ids (each send its own), and the enrolments left
/// with a timer or completed. <see cref="OutboxSteps"/>: JourneyStep… events still in the pool's outbox (the app's
/// outbox publisher sends and deletes them; without one they stay).
/// </summary>
internal sealed record JourneyTally(long Steps, long Taken, long DistinctMessages, long Timers, long Completed, long OutboxSteps)
{
    public static async Task<JourneyTally> ReadAsync(string connectionString)
    {
        // A connection of its own, outside the pool: a restarted PostgreSQL may have left pooled ones broken.
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(unpooled);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM journeys.steps), (SELECT count(*) FROM journeys.steps WHERE outcome = 'taken'),
                (SELECT count(DISTINCT message_id) FROM journeys.steps), (SELECT count(*) FROM journeys.timers),
                (SELECT count(*) FROM journeys.enrolments WHERE state = 'completed'),
                (SELECT count(*) FROM pool.outbox WHERE type LIKE '%.JourneyStep%')
            """, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new JourneyTally(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5));
    }

    /// <summary>The figures as name=value pairs (the benchmark's RESULT line, a drill's output).</summary>
    public override string ToString() =>
        $"steps={Steps} taken={Taken} distinct_messages={DistinctMessages} timers={Timers} completed={Completed} outbox_steps={OutboxSteps}";
}

using Npgsql;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Running journeys in PostgreSQL (schema journeys), shared by every dispatcher. A claim locks due timers with
/// FOR UPDATE SKIP LOCKED (concurrent runners take different rows) and moves their due time to the end of the lease,
/// so a runner that dies leaves rows that are simply due again then. Every change and its event (pool.outbox) commit
/// together; <paramref name="outbox"/> wakes this process's outbox publisher after such a commit.
/// </summary>
internal sealed partial class PostgresJourneyStore(NpgsqlDataSource dataSource, OutboxSignal? outbox = null) : IJourneyStore
{
    private const string EnrolmentColumns =
        "e.id, e.corp, e.journey_id, e.version, e.external_user_id, e.follow_user, e.source, e.enrolled_at, e.state, e.exit_reason, e.ended_at, "
        + "e.trace_parent";

    public async Task<EnrolOutcome> EnrolAsync(Enrolment enrolment, string trigger, NextStep? first, CancellationToken ct = default)
    {
        var e = first is null ? enrolment with { State = EnrolmentStates.Completed, EndedAt = enrolment.EnrolledAt } : enrolment;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var inserted = await ExecuteAsync(connection, tx, """
            INSERT INTO journeys.enrolments (id, corp, journey_id, version, external_user_id, follow_user, source, enrolled_at, state, ended_at,
                trace_parent)
            VALUES (@id, @corp, @journey, @version, @ext, @follow, @source, @at, @state, @ended, @trace) ON CONFLICT DO NOTHING
            """, ct, ("id", e.Id), ("corp", e.Corp), ("journey", e.JourneyId), ("version", e.Version), ("ext", e.ExternalUserId),
            ("follow", e.FollowUser), ("source", e.Source), ("at", e.EnrolledAt), ("state", e.State), ("ended", e.EndedAt),
            ("trace", e.TraceParent));
        if (inserted == 0)
        {
            await tx.RollbackAsync(ct);
            await using var seen = Command(connection, null, """
                SELECT count(*) FROM journeys.enrolments WHERE corp = @corp AND journey_id = @journey AND external_user_id = @ext AND source = @source
                """, ("corp", e.Corp), ("journey", e.JourneyId), ("ext", e.ExternalUserId), ("source", e.Source));
            return (long)(await seen.ExecuteScalarAsync(ct))! > 0 ? EnrolOutcome.Duplicate : EnrolOutcome.AlreadyRunning;
        }
        var events = new List<OutboxEvent> { JourneyEvents.Enrolled(e, trigger) };
        if (first is null) events.Add(JourneyEvents.Exited(e, JourneyEvents.Completed, e.EnrolledAt));
        else
            await ExecuteAsync(connection, tx, """
                INSERT INTO journeys.timers (enrolment_id, step_index, step_id, step_due_at, due_at, waiting_for)
                VALUES (@id, @index, @step, @stepDue, @due, @waiting)
                """, ct, ("id", e.Id), ("index", first.StepIndex), ("step", first.StepId), ("stepDue", first.DueAt), ("due", first.ClaimAt),
                ("waiting", first.WaitingFor));
        await WriteEventsAsync(connection, tx, events, ct);
        await tx.CommitAsync(ct);
        outbox?.Notify();
        return EnrolOutcome.Enrolled;
    }

    public async Task<IReadOnlyList<ClaimedStep>> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int max,
        CancellationToken ct = default)
    {
        // One statement: the rows are locked, leased and returned together (no window where two runners see one row).
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection, null, $"""
            WITH due AS (
                SELECT enrolment_id FROM journeys.timers WHERE due_at <= @now ORDER BY due_at LIMIT @max FOR UPDATE SKIP LOCKED)
            UPDATE journeys.timers t SET due_at = @until, lease_owner = @owner, attempts = t.attempts + 1
            FROM due, journeys.enrolments e
            WHERE t.enrolment_id = due.enrolment_id AND e.id = t.enrolment_id
            RETURNING {EnrolmentColumns}, t.step_index, t.step_id, t.step_due_at, t.attempts, t.waiting_for
            """, ("now", now), ("max", max), ("until", now + lease), ("owner", owner));
        var claimed = new List<ClaimedStep>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            claimed.Add(new ClaimedStep(ReadEnrolment(reader), reader.GetInt32(12), reader.GetString(13), reader.GetFieldValue<DateTimeOffset>(14),
                reader.GetInt32(15), reader.IsDBNull(16) ? null : reader.GetString(16)));
        return claimed.OrderBy(c => c.StepDueAt).ToList();
    }

    public async Task<bool> CompleteAsync(string owner, ClaimedStep step, StepRecord record, NextStep? next, CancellationToken ct = default)
    {
        var e = step.Enrolment;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var held = next is null
            ? await ExecuteAsync(connection, tx, """
                DELETE FROM journeys.timers WHERE enrolment_id = @id AND lease_owner = @owner AND step_index = @index
                """, ct, ("id", e.Id), ("owner", owner), ("index", step.StepIndex))
            : await ExecuteAsync(connection, tx, """
                UPDATE journeys.timers SET step_index = @next, step_id = @step, step_due_at = @stepDue, due_at = @due, attempts = 0,
                    lease_owner = NULL, waiting_for = @waiting
                WHERE enrolment_id = @id AND lease_owner = @owner AND step_index = @index
                """, ct, ("id", e.Id), ("owner", owner), ("index", step.StepIndex), ("next", next.StepIndex), ("step", next.StepId),
                ("stepDue", next.DueAt), ("due", next.ClaimAt), ("waiting", next.WaitingFor));
        if (held == 0)
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        await ExecuteAsync(connection, tx, """
            INSERT INTO journeys.steps (enrolment_id, step_index, corp, journey_id, step_id, outcome, reason, message_id, at)
            VALUES (@id, @index, @corp, @journey, @step, @outcome, @reason, @message, @at) ON CONFLICT DO NOTHING
            """, ct, ("id", e.Id), ("index", record.StepIndex), ("corp", e.Corp), ("journey", e.JourneyId), ("step", record.StepId),
            ("outcome", record.Outcome), ("reason", record.Reason), ("message", record.MessageId), ("at", record.At));
        var events = new List<OutboxEvent> { JourneyEvents.Step(e, record) };
        if (next is null)
        {
            await ExecuteAsync(connection, tx, """
                UPDATE journeys.enrolments SET state = 'completed', ended_at = @at WHERE id = @id AND state = 'running'
                """, ct, ("id", e.Id), ("at", record.At));
            events.Add(JourneyEvents.Exited(e, JourneyEvents.Completed, record.At));
        }
        await WriteEventsAsync(connection, tx, events, ct);
        await tx.CommitAsync(ct);
        outbox?.Notify();
        return true;
    }

    public async Task<bool> ReleaseAsync(string owner, ClaimedStep step, DateTimeOffset dueAt, bool failed, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ExecuteAsync(connection, null, """
            UPDATE journeys.timers SET due_at = @due, lease_owner = NULL, attempts = CASE WHEN @failed THEN attempts ELSE attempts - 1 END
            WHERE enrolment_id = @id AND lease_owner = @owner AND step_index = @index
            """, ct, ("due", dueAt), ("failed", failed), ("id", step.Enrolment.Id), ("owner", owner), ("index", step.StepIndex)) > 0;
    }

    public async Task<bool> ExitAsync(Guid enrolmentId, string reason, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        Enrolment? exited = null;
        await using (var command = Command(connection, tx, $"""
            UPDATE journeys.enrolments e SET state = 'exited', exit_reason = @reason, ended_at = @at WHERE id = @id AND state = 'running'
            RETURNING {EnrolmentColumns}
            """, ("reason", reason), ("at", at), ("id", enrolmentId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            if (await reader.ReadAsync(ct)) exited = ReadEnrolment(reader);
        if (exited is null)
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        await ExecuteAsync(connection, tx, "DELETE FROM journeys.timers WHERE enrolment_id = @id", ct, ("id", enrolmentId));
        await WriteEventsAsync(connection, tx, [JourneyEvents.Exited(exited, reason, at)], ct);
        await tx.CommitAsync(ct);
        outbox?.Notify();
        return true;
    }
}

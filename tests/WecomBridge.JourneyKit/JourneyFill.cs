namespace WecomBridge.JourneyKit;

/// <summary>
/// Running enrolments of a <see cref="OneStepJourney"/> written set-based in SQL: contacts <see cref="Contact"/>(0…n-1)
/// in the pool, each with one live relation to member <see cref="Member"/>(i) (the step's task goes through it), and one
/// running enrolment of each, enrolled at its step's due time, the due times spread evenly over [epoch, epoch + window).
/// Enrolment outbox events are not written (in the app the outbox publisher sends and deletes them).
/// </summary>
internal static class JourneyFill
{
    /// <summary>Members the contacts are spread over (contact i is member i % Members's).</summary>
    public const int Members = 200;

    public static string Contact(int i) => "wm" + i.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    public static string Member(int i) => "member" + (i % Members).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Fills <paramref name="count"/> enrolments; the seconds it took.</summary>
    public static Task<double> RunAsync(string connectionString, string corp, string journey, int version, DateTimeOffset epoch,
        TimeSpan window, int count) =>
        SqlFill.RunAsync(connectionString, Statements, new Dictionary<string, object>
        {
            ["corp"] = corp, ["journey"] = journey, ["version"] = version, ["step"] = OneStepJourney.StepId,
            ["epoch"] = epoch.UtcDateTime, ["window"] = window.TotalSeconds, ["n"] = count, ["members"] = Members,
        });

    private static readonly string[] Statements =
    [
        """
        CREATE TEMP TABLE fill AS
        SELECT i, 'wm' || lpad(i::text, 9, '0') AS ext, 'member' || lpad((i % @members)::text, 3, '0') AS member,
            gen_random_uuid() AS id, @epoch::timestamptz + make_interval(secs => @window * i / @n) AS due
        FROM generate_series(0, @n - 1) i
        """,
        """
        INSERT INTO pool.contacts (corp, external_user_id, type, first_seen_at, stage, stage_changed_at)
        SELECT @corp, ext, 1, due - interval '1 day', 'new', due - interval '1 day' FROM fill
        """,
        """
        INSERT INTO pool.follow_relations (corp, external_user_id, user_id, added_at, add_way, state, changed_at, tag_ids, tags_at)
        SELECT @corp, ext, member, due - interval '1 day', 1, 'channel-00', due - interval '1 day', '{}', due - interval '1 day' FROM fill
        """,
        """
        INSERT INTO journeys.enrolments (id, corp, journey_id, version, external_user_id, follow_user, source, enrolled_at, state)
        SELECT id, @corp, @journey, @version, ext, member, 'fill:' || i, due, 'running' FROM fill
        """,
        """
        INSERT INTO journeys.timers (enrolment_id, step_index, step_id, step_due_at, due_at)
        SELECT id, 0, @step, due, due FROM fill
        """,
        "DROP TABLE fill",
    ];
}

using System.Globalization;
using WecomBridge.JourneyKit;

namespace WecomBridge.Bench;

/// <summary>
/// The rest of a large pool written set-based in SQL: contacts [from, to) with the rows the projection writes for the
/// events of <see cref="PoolLoad"/> (same distributions, drawn by PostgreSQL's random() with a fixed seed): contacts with
/// their stage and last interaction as the rules give them at <c>now</c>, relations (tags on the first, as the read
/// sets them), deletions, followers linked by unionid, group memberships, and one applied_events row per event. Not
/// written: channel_adds (pruned after a day) and outbox rows (published and deleted).
/// </summary>
internal static class PoolFill
{
    public static async Task<double> RunAsync(string connectionString, string corp, DateTimeOffset now, int from, int to) =>
        to <= from ? 0 : await SqlFill.RunAsync(connectionString, Statements, new Dictionary<string, object>
        {
            ["corp"] = corp, ["now"] = now.UtcDateTime, ["from"] = from, ["to"] = to - 1,
        });

    /// <summary>Draws, then one INSERT … SELECT per table. Skewed(n, p) = least(n - 1, floor(n · random()^p)), as PoolLoad.Skewed.</summary>
    private static readonly string[] Statements =
    [
        "SELECT setseed(0.18)",
        """
        CREATE TEMP TABLE fill AS
        SELECT i, 'wm' || lpad(i::text, 9, '0') AS ext,
            @now::timestamptz - make_interval(secs => floor(365 * 86400 * power(random(), 1.5))) AS added_at,
            'member' || lpad(least(199, floor(200 * power(random(), 1.5)))::int::text, 3, '0') AS user1,
            'channel-' || lpad(least(19, floor(20 * power(random(), 2)))::int::text, 2, '0') AS state1,
            ARRAY(SELECT DISTINCT 'tag-' || lpad(least(199, floor(200 * power(random(), 3)))::int::text, 3, '0')
                  FROM generate_series(0, floor(random() * 4)::int + i * 0) t) AS tags,
            random() < 0.6 AS has_union, random() < 0.4 AS follows,
            random() < 0.2 AS second, random() < 0.05 AS third, random() < 0.1 AS deleted, random() < 0.5 AS by_member,
            'member' || lpad(least(199, floor(200 * power(random(), 1.5)))::int::text, 3, '0') AS user2,
            'channel-' || lpad(least(19, floor(20 * power(random(), 2)))::int::text, 2, '0') AS state2,
            'member' || lpad(least(199, floor(200 * power(random(), 1.5)))::int::text, 3, '0') AS user3,
            'channel-' || lpad(least(19, floor(20 * power(random(), 2)))::int::text, 2, '0') AS state3,
            floor(random() * 30)::int AS later2, floor(random() * 30)::int AS later3, 1 + floor(random() * 60)::int AS deleted_after
        FROM generate_series(@from, @to) i
        """,
        """
        CREATE TEMP TABLE fill_relations AS
        SELECT f.i, f.ext, f.user1 AS user_id, f.added_at, f.state1 AS state, f.tags AS tag_ids, f.added_at + interval '1 minute' AS tags_at,
            CASE WHEN f.deleted THEN least(f.added_at + make_interval(days => f.deleted_after), @now::timestamptz) END AS deleted_at,
            CASE WHEN f.deleted THEN CASE WHEN f.by_member THEN 'employee' ELSE 'customer' END END AS deleted_by, 1 AS add_way
        FROM fill f
        UNION ALL
        SELECT f.i, f.ext, f.user2, least(f.added_at + make_interval(days => f.later2), @now::timestamptz), f.state2, '{}', NULL, NULL, NULL, NULL
        FROM fill f WHERE f.second AND f.user2 <> f.user1
        UNION ALL
        SELECT f.i, f.ext, f.user3, least(f.added_at + make_interval(days => f.later3), @now::timestamptz), f.state3, '{}', NULL, NULL, NULL, NULL
        FROM fill f WHERE f.third AND f.user3 <> f.user1 AND NOT (f.second AND f.user3 = f.user2)
        """,
        """
        INSERT INTO pool.follow_relations (corp, external_user_id, user_id, added_at, add_way, state, deleted_at, deleted_by, changed_at,
            tag_ids, tags_at)
        SELECT @corp, r.ext, r.user_id, r.added_at, r.add_way, r.state, r.deleted_at, r.deleted_by,
            coalesce(r.deleted_at, r.tags_at, r.added_at), r.tag_ids, r.tags_at
        FROM fill_relations r ORDER BY r.ext, r.user_id
        """,
        // A group chat every 50 contacts gains the last 10 of them at the add time of its 50th.
        """
        CREATE TEMP TABLE fill_groups AS
        SELECT m.i, m.ext, 'wrchat' || lpad((m.i / 50)::text, 7, '0') AS chat_id, last.added_at AS joined_at
        FROM fill m JOIN fill last ON last.i = (m.i / 50) * 50 + 49
        WHERE m.i % 50 >= 40
        """,
        """
        INSERT INTO pool.group_members (corp, chat_id, member_id, joined_at, join_scene, changed_at)
        SELECT @corp, g.chat_id, g.ext, g.joined_at, 3, g.joined_at FROM fill_groups g ORDER BY g.chat_id, g.ext
        """,
        // Stage as ActivityRules.Evaluate gives it with the default options at @now.
        """
        INSERT INTO pool.contacts (corp, external_user_id, type, union_id, first_seen_at, profile_at, last_interaction_at,
            last_interaction_kind, stage, stage_changed_at)
        SELECT @corp, f.ext, 1, CASE WHEN f.has_union THEN 'un' || lpad(f.i::text, 9, '0') END, f.added_at, f.added_at + interval '1 minute',
            greatest(a.last_added, g.joined_at), CASE WHEN g.joined_at > a.last_added THEN 'group_join' ELSE 'added' END,
            CASE WHEN a.active = 0 THEN 'lost'
                 WHEN @now::timestamptz - greatest(a.last_added, g.joined_at) >= interval '180 days' THEN 'lost'
                 WHEN @now::timestamptz - greatest(a.last_added, g.joined_at) >= interval '30 days' THEN 'dormant'
                 WHEN @now::timestamptz - a.first_added < interval '7 days' THEN 'new' ELSE 'active' END,
            @now::timestamptz
        FROM fill f
        JOIN (SELECT i, max(added_at) AS last_added, min(added_at) AS first_added, count(*) FILTER (WHERE deleted_at IS NULL) AS active
              FROM fill_relations GROUP BY i) a ON a.i = f.i
        LEFT JOIN fill_groups g ON g.i = f.i
        ORDER BY f.ext
        """,
        """
        INSERT INTO pool.followers (account, open_id, union_id, subscribed, subscribed_at, subscribe_scene, first_seen_at, changed_at)
        SELECT 'benchoa', 'o' || lpad(f.i::text, 9, '0'), 'un' || lpad(f.i::text, 9, '0'), true, date_trunc('second', f.added_at),
            'ADD_SCENE_QR_CODE', f.added_at + interval '2 minutes', f.added_at + interval '2 minutes'
        FROM fill f WHERE f.has_union AND f.follows
        """,
        // One id per event the contact's history has: add, read, extra adds, deletion, follower read, group join.
        """
        INSERT INTO pool.applied_events (event_id, applied_at)
        SELECT md5(f.i::text || '-' || n), @now::timestamptz
        FROM fill f, generate_series(1, 2 + f.second::int + f.third::int + f.deleted::int + (f.has_union AND f.follows)::int
            + (f.i % 50 = 49)::int) n
        """,
        "DROP TABLE fill, fill_relations, fill_groups",
    ];

    public static string Describe(int from, int to) => string.Format(CultureInfo.InvariantCulture, "{0:N0}–{1:N0}", from, to - 1);
}

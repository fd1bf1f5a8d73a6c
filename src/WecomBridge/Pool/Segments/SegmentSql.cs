using Npgsql;
using NpgsqlTypes;

namespace WecomBridge.Pool.Segments;

/// <summary>
/// A filter as a PostgreSQL condition on <c>pool.contacts c</c>. Values only ever travel as parameters (@s0, @s1, …); the
/// SQL text is made of fixed fragments chosen by the filter's shape. Each fragment is true or false, never NULL, so that
/// NOT is the exact complement, as in memory.
/// </summary>
internal sealed class SegmentSql
{
    private const string ActiveRelation = "r.corp = c.corp AND r.external_user_id = c.external_user_id AND r.deleted_at IS NULL";

    private readonly DateTimeOffset _now;

    private SegmentSql(DateTimeOffset now) => _now = now;

    public List<NpgsqlParameter> Parameters { get; } = [];

    /// <summary>The condition and its parameters.</summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Compile(SegmentFilter filter, DateTimeOffset now)
    {
        var compiler = new SegmentSql(now);
        return (compiler.Condition(filter), compiler.Parameters);
    }

    private string Condition(SegmentFilter filter) => filter switch
    {
        AllOf { Items.Count: 0 } => "TRUE",
        AllOf a => "(" + string.Join(" AND ", a.Items.Select(Condition)) + ")",
        AnyOf a => "(" + string.Join(" OR ", a.Items.Select(Condition)) + ")",
        NotOf n => $"(NOT {Condition(n.Item)})",
        TagsFilter t => Tags(t),
        RelationFilter r => Relation(r),
        StageFilter s => $"c.stage = ANY({Texts(s.Stages)})",
        LastActiveFilter l => LastActive(l.Range),
        InGroupFilter g => "EXISTS (SELECT 1 FROM pool.group_members g WHERE g.corp = c.corp AND g.member_id = c.external_user_id"
            + " AND g.left_at IS NULL" + (g.ChatId is null ? "" : $" AND g.chat_id = {Text(g.ChatId)}") + ")",
        OaSubscribedFilter o => "EXISTS (SELECT 1 FROM pool.followers f WHERE f.union_id = c.union_id AND f.subscribed"
            + $" AND f.account = {Text(o.Account)})",
        BurstFlaggedFilter b => b.Flagged ? "c.burst_flagged_at IS NOT NULL" : "c.burst_flagged_at IS NULL",
        _ => throw new ArgumentException($"Unknown segment filter {filter.GetType().Name}", nameof(filter)),
    };

    private string Tags(TagsFilter t)
    {
        var parts = new List<string>();
        // Every tag on some active relation: one semi-join per tag, which PostgreSQL runs as hashed joins (several times
        // faster over a large pool than one correlated test of the whole list).
        foreach (var tag in t.All)
            parts.Add($"EXISTS (SELECT 1 FROM pool.follow_relations r WHERE {ActiveRelation} AND r.tag_ids @> ARRAY[{Text(tag)}])");
        if (t.Any.Count > 0)
            parts.Add($"EXISTS (SELECT 1 FROM pool.follow_relations r WHERE {ActiveRelation} AND r.tag_ids && {Texts(t.Any)})");
        if (t.None.Count > 0)
            parts.Add($"NOT EXISTS (SELECT 1 FROM pool.follow_relations r WHERE {ActiveRelation} AND r.tag_ids && {Texts(t.None)})");
        return parts.Count == 0 ? "TRUE" : "(" + string.Join(" AND ", parts) + ")";
    }

    private string Relation(RelationFilter r)
    {
        var sql = $"EXISTS (SELECT 1 FROM pool.follow_relations r WHERE {ActiveRelation}";
        if (r.States is not null) sql += $" AND r.state = ANY({Texts(r.States)})";
        if (r.FollowUsers is not null) sql += $" AND r.user_id = ANY({Texts(r.FollowUsers)})";
        if (r.Added?.After is { } after) sql += $" AND r.added_at >= {Time(after)}";
        if (r.Added?.Before is { } before) sql += $" AND r.added_at < {Time(before)}";
        return sql + ")";
    }

    private string LastActive(TimeRange range)
    {
        var parts = new List<string>();
        if (range.After is { } after) parts.Add($"(c.last_interaction_at IS NOT NULL AND c.last_interaction_at >= {Time(after)})");
        if (range.Before is { } before) parts.Add($"(c.last_interaction_at IS NULL OR c.last_interaction_at < {Time(before)})");
        return "(" + string.Join(" AND ", parts) + ")";
    }

    private string Text(string value) => Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = value });

    private string Texts(IReadOnlyList<string> values) =>
        Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.ToArray() });

    private string Time(TimeRef time) =>
        Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = time.Resolve(_now).UtcDateTime });

    private string Add(NpgsqlParameter parameter)
    {
        parameter.ParameterName = $"s{Parameters.Count}";
        Parameters.Add(parameter);
        return "@" + parameter.ParameterName;
    }
}

using Npgsql;

namespace WecomBridge.Pool;

/// <summary>Reads of the pool in PostgreSQL: the same shapes and order as the in-memory pool's.</summary>
internal sealed partial class PostgresPoolStore
{
    public async Task<PoolContact?> GetContactAsync(string corp, string externalUserId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        PoolContact contact;
        await using (var c = Command(connection, """
            SELECT type, union_id, name, first_seen_at,
                last_interaction_at, last_interaction_kind, stage, stage_changed_at, burst_flagged_at
            FROM pool.contacts WHERE corp = @corp AND external_user_id = @ext
            """, ("corp", corp), ("ext", externalUserId)))
        await using (var reader = await c.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return null;
            contact = new PoolContact(corp, externalUserId, reader.IsDBNull(0) ? null : reader.GetInt16(0), Text(reader, 1), Text(reader, 2),
                Time(reader, 3)!.Value, [], [], [], [])
            {
                LastInteractionAt = Time(reader, 4), LastInteractionKind = Text(reader, 5), Stage = reader.GetString(6),
                StageChangedAt = Time(reader, 7), BurstFlaggedAt = Time(reader, 8),
            };
        }
        var relations = new List<PoolRelation>();
        await using (var c = Command(connection, """
            SELECT user_id, added_at, add_way, state, remark, deleted_at, deleted_by, tag_ids, changed_at FROM pool.follow_relations
            WHERE corp = @corp AND external_user_id = @ext ORDER BY user_id
            """, ("corp", corp), ("ext", externalUserId)))
        await using (var reader = await c.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                relations.Add(new PoolRelation(reader.GetString(0), Time(reader, 1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                    Text(reader, 3), Text(reader, 4), Time(reader, 5), Text(reader, 6), reader.GetFieldValue<string[]>(7), Time(reader, 8)!.Value));
        var groups = new List<PoolGroupMembership>();
        await using (var c = Command(connection, """
            SELECT chat_id, joined_at, join_scene, left_at FROM pool.group_members
            WHERE corp = @corp AND member_id = @ext ORDER BY chat_id
            """, ("corp", corp), ("ext", externalUserId)))
        await using (var reader = await c.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                groups.Add(new PoolGroupMembership(reader.GetString(0), Time(reader, 1), reader.IsDBNull(2) ? null : reader.GetInt16(2),
                    Time(reader, 3)));
        var followers = contact.UnionId is null ? [] : await FollowersAsync(connection, "union_id = @union", ct, ("union", contact.UnionId));
        return contact with
        {
            Relations = relations, TagIds = InMemoryPoolStore.ActiveTags(relations), Groups = groups, Followers = followers,
        };
    }

    public async Task<IReadOnlyList<PoolContactSummary>> ListContactsAsync(ContactQuery q, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // The page's contacts first (one relation matches every filter), then their active relations.
        await using var c = Command(connection, """
            WITH page AS (
                SELECT DISTINCT r.external_user_id FROM pool.follow_relations r
                WHERE r.corp = @corp AND r.deleted_at IS NULL AND (@after IS NULL OR r.external_user_id > @after)
                  AND (@state IS NULL OR r.state = @state) AND (@tag IS NULL OR r.tag_ids @> ARRAY[@tag])
                  AND (@addedAfter IS NULL OR r.added_at >= @addedAfter)
                ORDER BY r.external_user_id LIMIT @limit)
            SELECT p.external_user_id, c.union_id, r.user_id, r.added_at, r.state, r.tag_ids
            FROM page p
            LEFT JOIN pool.contacts c ON c.corp = @corp AND c.external_user_id = p.external_user_id
            JOIN pool.follow_relations r ON r.corp = @corp AND r.external_user_id = p.external_user_id AND r.deleted_at IS NULL
            ORDER BY p.external_user_id, r.user_id
            """, ("corp", q.Corp), ("after", q.After), ("state", q.State), ("tag", q.Tag), ("addedAfter", new TimeAt(q.AddedAfter)),
            ("limit", q.Limit));
        await using var reader = await c.ExecuteReaderAsync(ct);
        var page = new List<PoolContactSummary>();
        while (await reader.ReadAsync(ct))
        {
            var ext = reader.GetString(0);
            if (page.Count == 0 || page[^1].ExternalUserId != ext)
                page.Add(new PoolContactSummary(ext, Text(reader, 1), new List<PoolRelationSummary>()));
            ((List<PoolRelationSummary>)page[^1].Relations).Add(new PoolRelationSummary(reader.GetString(2), Time(reader, 3),
                Text(reader, 4), reader.GetFieldValue<string[]>(5)));
        }
        return page;
    }

    public async Task<PoolFollower?> GetFollowerAsync(string account, string openId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var found = await FollowersAsync(connection, "account = @account AND open_id = @open", ct, ("account", account), ("open", openId));
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<IReadOnlyList<PoolFollower>> FollowersAsync(NpgsqlConnection connection, string where, CancellationToken ct,
        params (string, object?)[] parameters)
    {
        await using var c = Command(connection, $"""
            SELECT account, open_id, union_id, subscribed, subscribed_at, unsubscribed_at, scene, subscribe_scene, tag_ids, remark,
                changed_at, last_interaction_at, last_interaction_kind
            FROM pool.followers WHERE {where} ORDER BY account, open_id
            """, parameters);
        await using var reader = await c.ExecuteReaderAsync(ct);
        var followers = new List<PoolFollower>();
        while (await reader.ReadAsync(ct))
            followers.Add(new PoolFollower(reader.GetString(0), reader.GetString(1), Text(reader, 2), reader.GetBoolean(3), Time(reader, 4),
                Time(reader, 5), Text(reader, 6), Text(reader, 7), reader.GetFieldValue<int[]>(8), Text(reader, 9), Time(reader, 10)!.Value)
            {
                LastInteractionAt = Time(reader, 11), LastInteractionKind = Text(reader, 12),
            });
        return followers;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.Add(Parameter(name, value));
        return command;
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(i), TimeSpan.Zero);
}

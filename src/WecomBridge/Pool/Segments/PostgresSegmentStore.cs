using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace WecomBridge.Pool.Segments;

/// <summary>
/// Segments in PostgreSQL: a filter runs as one statement over pool.contacts of the corp (the condition from
/// <see cref="SegmentSql"/>), walked in primary key order, so a page after a cursor starts where the last one ended.
/// </summary>
internal sealed class PostgresSegmentStore(NpgsqlDataSource dataSource) : ISegmentStore
{
    public async Task<long> CountAsync(SegmentQuery query, CancellationToken ct = default)
    {
        var (condition, parameters) = SegmentSql.Compile(query.Filter, query.Now);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection, $"SELECT count(*) FROM pool.contacts c WHERE c.corp = @corp AND {condition}",
            parameters, ("corp", query.Corp));
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<SegmentContact>> PageAsync(SegmentQuery query, int limit, string? after, CancellationToken ct = default)
    {
        var (condition, parameters) = SegmentSql.Compile(query.Filter, query.Now);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var page = new List<SegmentContact>();
        await using (var command = Command(connection, $"""
            SELECT c.external_user_id, c.union_id, c.stage, c.last_interaction_at FROM pool.contacts c
            WHERE c.corp = @corp {(after is null ? "" : "AND c.external_user_id > @after")} AND {condition}
            ORDER BY c.external_user_id LIMIT @limit
            """, parameters, ("corp", query.Corp), ("after", after), ("limit", limit)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                page.Add(new SegmentContact(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(3), TimeSpan.Zero), []));
        if (page.Count == 0) return page;
        var relations = page.ToDictionary(p => p.ExternalUserId, _ => new List<PoolRelationSummary>(), StringComparer.Ordinal);
        await using (var command = Command(connection, """
            SELECT external_user_id, user_id, added_at, state, tag_ids FROM pool.follow_relations
            WHERE corp = @corp AND external_user_id = ANY(@ids) AND deleted_at IS NULL ORDER BY external_user_id, user_id
            """, [], ("corp", query.Corp), ("ids", relations.Keys.ToArray())))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                relations[reader.GetString(0)].Add(new PoolRelationSummary(reader.GetString(1),
                    reader.IsDBNull(2) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(2), TimeSpan.Zero),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<string[]>(4)));
        return [.. page.Select(p => p with { Relations = relations[p.ExternalUserId] })];
    }

    public async Task<IReadOnlyList<SavedSegment>> ListSegmentsAsync(string corp, CancellationToken ct = default) =>
        await SegmentsAsync("corp = @corp ORDER BY created_at, id", ct, ("corp", corp));

    public async Task<SavedSegment?> GetSegmentAsync(string corp, Guid id, CancellationToken ct = default) =>
        (await SegmentsAsync("corp = @corp AND id = @id", ct, ("corp", corp), ("id", id))).SingleOrDefault();

    public async Task<bool> SaveSegmentAsync(SavedSegment s, bool create, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection, create
            ? """
              INSERT INTO pool.segments (corp, id, name, description, filter, created_at, updated_at)
              VALUES (@corp, @id, @name, @description, @filter, @created, @updated)
              """
            : """
              UPDATE pool.segments SET name = @name, description = @description, filter = @filter, updated_at = @updated
              WHERE corp = @corp AND id = @id
              """, [new NpgsqlParameter("filter", NpgsqlDbType.Json) { Value = s.Filter.GetRawText() }],
            ("corp", s.Corp), ("id", s.Id), ("name", s.Name), ("description", s.Description), ("created", s.CreatedAt), ("updated", s.UpdatedAt));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> DeleteSegmentAsync(string corp, Guid id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection, "DELETE FROM pool.segments WHERE corp = @corp AND id = @id", [], ("corp", corp), ("id", id));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<List<SavedSegment>> SegmentsAsync(string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection,
            $"SELECT corp, id, name, description, filter::text, created_at, updated_at FROM pool.segments WHERE {where}", [], parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var segments = new List<SavedSegment>();
        while (await reader.ReadAsync(ct))
        {
            using var filter = JsonDocument.Parse(reader.GetString(4));
            segments.Add(new SavedSegment(reader.GetGuid(1), reader.GetString(0), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), filter.RootElement.Clone(), Time(reader, 5), Time(reader, 6)));
        }
        return segments;
    }

    private static DateTimeOffset Time(NpgsqlDataReader reader, int i) => new(reader.GetFieldValue<DateTime>(i), TimeSpan.Zero);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, List<NpgsqlParameter> compiled,
        params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(compiled.ToArray());
        foreach (var (name, value) in parameters) command.Parameters.Add(PostgresPoolStore.Parameter(name, value));
        return command;
    }
}

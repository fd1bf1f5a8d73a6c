using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace WecomBridge.Journeys.Definitions;

/// <summary>
/// Journey versions in PostgreSQL (schema journeys). A save takes the next number from the journey's head row in the
/// same transaction as it writes the version: concurrent saves queue on that row and each gets its own number. A
/// version is read back by reading its JSON again, so what runs is exactly what the definitions API accepted.
/// </summary>
internal sealed class PostgresJourneyDefinitionStore(NpgsqlDataSource dataSource, TimeProvider time) : IJourneyDefinitionStore
{
    private const string Columns = "v.corp, v.id, v.version, v.active, v.source::text, v.created_at";

    public async Task<JourneyDefinition> SaveAsync(JourneyDefinition definition, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var createdAt = now.AddTicks(-(now.Ticks % 10)); // PostgreSQL keeps microseconds: the version reads back as returned
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var head = new NpgsqlCommand("""
            INSERT INTO journeys.definition_heads (corp_key, id, latest) VALUES (@corp_key, @id, 1)
            ON CONFLICT (corp_key, id) DO UPDATE SET latest = journeys.definition_heads.latest + 1
            RETURNING latest
            """, connection, transaction);
        head.Parameters.AddWithValue("corp_key", Key(definition.Corp));
        head.Parameters.AddWithValue("id", definition.Id);
        var version = (int)(await head.ExecuteScalarAsync(ct))!;
        await using var insert = new NpgsqlCommand("""
            INSERT INTO journeys.definition_versions (corp_key, id, version, corp, name, active, trigger_kind, source, created_at)
            VALUES (@corp_key, @id, @version, @corp, @name, @active, @trigger_kind, @source, @created_at)
            """, connection, transaction);
        insert.Parameters.AddWithValue("corp_key", Key(definition.Corp));
        insert.Parameters.AddWithValue("id", definition.Id);
        insert.Parameters.AddWithValue("version", version);
        insert.Parameters.AddWithValue("corp", definition.Corp);
        insert.Parameters.AddWithValue("name", definition.Name);
        insert.Parameters.AddWithValue("active", definition.Active);
        insert.Parameters.AddWithValue("trigger_kind", definition.Trigger.Kind);
        insert.Parameters.Add(new NpgsqlParameter("source", NpgsqlDbType.Json) { Value = definition.Source.GetRawText() });
        insert.Parameters.Add(new NpgsqlParameter("created_at", NpgsqlDbType.TimestampTz) { Value = createdAt.UtcDateTime });
        await insert.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return definition with { Version = version, CreatedAt = createdAt };
    }

    public async Task<JourneyDefinition?> GetAsync(string corp, string id, int? version = null, CancellationToken ct = default) =>
        (version is { } v
            ? await ReadAsync($"""
                SELECT {Columns} FROM journeys.definition_versions v WHERE v.corp_key = @corp_key AND v.id = @id AND v.version = @version
                """, ct, ("corp_key", Key(corp)), ("id", id), ("version", v))
            : await ReadAsync(Latest("AND h.id = @id"), ct, ("corp_key", Key(corp)), ("id", id))).SingleOrDefault();

    public async Task<IReadOnlyList<JourneyDefinition>> ListAsync(string corp, CancellationToken ct = default) =>
        await ReadAsync(Latest(""), ct, ("corp_key", Key(corp)));

    public async Task<IReadOnlyList<JourneyDefinition>> ActiveByTriggerAsync(string corp, string triggerKind, CancellationToken ct = default) =>
        await ReadAsync(Latest("AND v.active AND v.trigger_kind = @trigger_kind"), ct, ("corp_key", Key(corp)), ("trigger_kind", triggerKind));

    private static string Latest(string condition) => $"""
        SELECT {Columns} FROM journeys.definition_heads h
        JOIN journeys.definition_versions v ON v.corp_key = h.corp_key AND v.id = h.id AND v.version = h.latest
        WHERE h.corp_key = @corp_key {condition} ORDER BY h.id
        """;

    private static string Key(string corp) => corp.ToLowerInvariant();

    private async Task<List<JourneyDefinition>> ReadAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var found = new List<JourneyDefinition>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (corp, id, version) = (reader.GetString(0), reader.GetString(1), reader.GetInt32(2));
            using var source = JsonDocument.Parse(reader.GetString(4));
            var definition = JourneyReader.Read(source.RootElement, corp, id, out _)
                ?? throw new InvalidOperationException($"Journey {id} version {version} of corp {corp} no longer reads as a journey");
            found.Add(definition with
            {
                Version = version, Active = reader.GetBoolean(3),
                CreatedAt = new DateTimeOffset(reader.GetFieldValue<DateTime>(5), TimeSpan.Zero),
            });
        }
        return found;
    }
}

using System.Text;
using System.Text.Json;
using Npgsql;
using WecomBridge.Pool.Segments;

namespace WecomBridge.Bench;

/// <summary>
/// The query plans behind the segment probes (bench/pool.sh --explain FILE): EXPLAIN (ANALYZE, BUFFERS) of each filter's
/// count and first page, as <see cref="PostgresSegmentStore"/> runs them, over the loaded pool.
/// </summary>
internal static class PoolPlans
{
    public static async Task WriteAsync(string connectionString, string corp, IEnumerable<(string Name, string Filter)> filters, string file)
    {
        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (name, json) in filters)
        {
            using var document = JsonDocument.Parse(json);
            var filter = SegmentFilterParser.Parse(document.RootElement, "filter", []) ?? throw new ArgumentException(name);
            var (condition, parameters) = SegmentSql.Compile(filter, DateTimeOffset.UtcNow);
            foreach (var (what, sql) in new[]
            {
                ("count", $"SELECT count(*) FROM pool.contacts c WHERE c.corp = @corp AND {condition}"),
                ("first page", $"SELECT c.external_user_id FROM pool.contacts c WHERE c.corp = @corp AND {condition} "
                    + "ORDER BY c.external_user_id LIMIT 100"),
            })
            {
                await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection) { CommandTimeout = 0 };
                foreach (var p in parameters) command.Parameters.Add(p.Clone());
                command.Parameters.AddWithValue("corp", corp);
                text.AppendLine($"== {what}: {name}").AppendLine(json);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
                text.AppendLine();
            }
        }
        await File.WriteAllTextAsync(file, text.ToString());
    }
}

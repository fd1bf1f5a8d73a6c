using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace WecomBridge.Bench;

/// <summary>
/// What users ask of a large pool, over HTTP against the bridge: segment count and first page (100 contacts) for typical
/// filters (POST /api/v1/pool/{corp}/segments/query), the contact list's first page, an NDJSON export of the whole pool
/// (POST …/segments/export); then the database's size per table.
/// </summary>
internal static class PoolProbes
{
    /// <summary>Typical filters: tags (tag-000 is on most contacts, tag-050 on few), channels, stages, activity, combinations.</summary>
    public static readonly (string Name, string Filter)[] Filters =
    [
        ("every contact", """{"all": []}"""),
        ("tag any (1 common tag)", """{"tags": {"any": ["tag-003"]}}"""),
        ("tag any (3 rare tags)", """{"tags": {"any": ["tag-050", "tag-120", "tag-180"]}}"""),
        ("tag all (2 tags)", """{"tags": {"all": ["tag-000", "tag-001"]}}"""),
        ("tag none (1 common tag)", """{"tags": {"none": ["tag-000"]}}"""),
        ("channel + added in the last 7 days", """{"relation": {"state": "channel-03", "added": {"after": "P7D"}}}"""),
        ("stage dormant", """{"stage": "dormant"}"""),
        ("last active before 30 days", """{"lastActive": {"before": "P30D"}}"""),
        ("in a group chat", """{"inGroup": true}"""),
        ("follows the Official Account", """{"oaSubscribed": "benchoa"}"""),
        ("channel, last 7 days, tag, inactive 30 days (the issue's example)",
            """
            {"all": [{"relation": {"state": "channel-03", "added": {"after": "P7D"}}}, {"tags": {"any": ["tag-002"]}},
                     {"lastActive": {"before": "P30D"}}]}
            """),
        ("dormant or lost, follows the OA, not burst-flagged",
            """{"all": [{"stage": ["dormant", "lost"]}, {"oaSubscribed": "benchoa"}, {"not": {"burstFlagged": true}}]}"""),
        ("channel in the last 90 days, tag, inactive 30 days",
            """
            {"all": [{"relation": {"state": "channel-03", "added": {"after": "P90D"}}}, {"tags": {"any": ["tag-002"]}},
                     {"lastActive": {"before": "P30D"}}]}
            """),
    ];

    public static async Task RunAsync(HttpClient http, string corp, int samples, TimeSpan bound)
    {
        var query = $"/api/v1/pool/{corp}/segments/query";
        foreach (var (name, filter) in Filters)
        {
            var f = JsonNode.Parse(filter)!;
            var count = await PostAsync(http, query, new JsonObject { ["filter"] = f.DeepClone(), ["count"] = true, ["limit"] = 0 });
            var total = count.GetProperty("count").GetInt64();
            Console.WriteLine(await LatencyAsync($"segment count: {name} ({total:N0})", samples, bound,
                () => PostAsync(http, query, new JsonObject { ["filter"] = f.DeepClone(), ["count"] = true, ["limit"] = 0 })));
            Console.WriteLine(await LatencyAsync($"segment first page: {name}", samples, bound,
                () => PostAsync(http, query, new JsonObject { ["filter"] = f.DeepClone(), ["count"] = false, ["limit"] = 100 })));
        }
        var list = $"/api/v1/pool/{corp}/contacts?limit=100";
        foreach (var (name, parameters) in new[] { ("no filter", ""), ("state", "&state=channel-07"), ("tag", "&tag=tag-013") })
            Console.WriteLine(await LatencyAsync($"contact list first page: {name}", samples, bound, async () =>
            {
                using var response = await http.GetAsync(list + parameters);
                response.EnsureSuccessStatusCode();
                return default;
            }));
        await ExportAsync(http, corp);
    }

    /// <summary>The whole pool as NDJSON: contacts (lines) and bytes per second as a client reads them.</summary>
    private static async Task ExportAsync(HttpClient http, string corp)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pool/{corp}/segments/export")
        {
            Content = JsonContent.Create(new JsonObject { ["filter"] = new JsonObject { ["all"] = new JsonArray() } }),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long bytes = 0, lines = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"RESULT name=export contacts={lines} bytes={bytes} seconds={seconds:F1} ")
            + FormattableString.Invariant($"rate={lines / seconds:F0} mbps={bytes / 1048576.0 / seconds:F1}"));
    }

    public static async Task SizesAsync(string connection)
    {
        Console.WriteLine($"RESULT name=size bytes={await Sql.ScalarAsync(connection, "SELECT pg_database_size(current_database())")}"
            + $" contacts={await Sql.ScalarAsync(connection, "SELECT count(*) FROM pool.contacts")}"
            + $" relations={await Sql.ScalarAsync(connection, "SELECT count(*) FROM pool.follow_relations")}"
            + $" memberships={await Sql.ScalarAsync(connection, "SELECT count(*) FROM pool.group_members")}"
            + $" followers={await Sql.ScalarAsync(connection, "SELECT count(*) FROM pool.followers")}"
            + $" events={await Sql.ScalarAsync(connection, "SELECT count(*) FROM pool.applied_events")}");
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid), c.reltuples::bigint FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pool' AND c.relkind = 'r'
            ORDER BY pg_total_relation_size(c.oid) DESC
            """, c);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            Console.WriteLine(
                $"SIZE table={reader.GetString(0)} data={reader.GetInt64(1)} indexes={reader.GetInt64(2)} rows={reader.GetInt64(3)}");
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>p50/p99 of <paramref name="samples"/> calls after 3 to warm up, fewer when they take longer than <paramref name="bound"/>.</summary>
    private static async Task<string> LatencyAsync(string name, int samples, TimeSpan bound, Func<Task<JsonElement>> probe)
    {
        for (var i = 0; i < 3; i++) await probe();
        var times = new List<double>(samples);
        var clock = Stopwatch.StartNew();
        while (times.Count < samples && (times.Count < 10 || clock.Elapsed < bound))
        {
            var started = Stopwatch.GetTimestamp();
            await probe();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        return FormattableString.Invariant($"LATENCY p50={P(0.5):F1} p99={P(0.99):F1} samples={times.Count} name={name}");
    }
}

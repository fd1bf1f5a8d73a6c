using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Pool.Segments;

/// <summary>
/// The segment endpoints on the dispatcher with the pool in a PostgreSQL database of its own: saved segments, ad-hoc
/// queries, pages and NDJSON exports, behind the API keys and in the OpenAPI document.
/// </summary>
public sealed class SegmentApiTests : IAsyncLifetime
{
    private const string Segments = "/api/v1/pool/acme/segments";
    private PoolDatabase _database = null!;
    private ApiApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        _app = new ApiApp(settings: new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = _database.ConnectionString });
        _app.Client(); // starts the app: the schema is migrated before it listens
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>
    /// <paramref name="count"/> contacts wm00001… with one relation each: every third through "winter" (else "summer"), every
    /// fifth tagged vip; even ones active, odd ones dormant; last active (i mod 60) days ago.
    /// </summary>
    private Task Seed(int count) => _database.ScalarAsync<long>($$"""
        INSERT INTO pool.contacts (corp, external_user_id, first_seen_at, stage, last_interaction_at)
        SELECT 'acme', 'wm' || lpad(i::text, 5, '0'), now(), CASE WHEN i % 2 = 0 THEN 'active' ELSE 'dormant' END,
            now() - (i % 60) * interval '1 day' - interval '1 hour'
        FROM generate_series(1, {{count}}) i;
        INSERT INTO pool.follow_relations (corp, external_user_id, user_id, added_at, state, changed_at, tag_ids)
        SELECT 'acme', 'wm' || lpad(i::text, 5, '0'), 'zhangsan', now() - interval '1 day',
            CASE WHEN i % 3 = 0 THEN 'winter' ELSE 'summer' END, now(), CASE WHEN i % 5 = 0 THEN ARRAY['vip'] ELSE '{}' END
        FROM generate_series(1, {{count}}) i;
        SELECT count(*) FROM pool.contacts;
        """);

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> Ok(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_saved_segment_is_created_listed_counted_paged_replaced_and_deleted()
    {
        await Seed(30);
        var created = await Ok(await _app.Client().PostAsync(Segments, Json("""
            {"name": "Winter VIPs", "description": "through the winter QR code, tagged vip",
             "filter": {"all": [{"state": "winter"}, {"tags": {"any": ["vip"]}}]}}
            """)), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        Assert.Equal("Winter VIPs", created.GetProperty("name").GetString());

        var list = await Ok(await _app.Client().GetAsync(Segments));
        Assert.Equal(id, list.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString());
        Assert.Equal("winter", (await Ok(await _app.Client().GetAsync($"{Segments}/{id}")))
            .GetProperty("filter").GetProperty("all")[0].GetProperty("state").GetString());
        Assert.Equal(2, (await Ok(await _app.Client().GetAsync($"{Segments}/{id}/count"))).GetProperty("count").GetInt64()); // 15, 30

        var page = await Ok(await _app.Client().GetAsync($"{Segments}/{id}/contacts?limit=1"));
        Assert.Equal("wm00015", page.GetProperty("items")[0].GetProperty("externalUserId").GetString());
        page = await Ok(await _app.Client().GetAsync($"{Segments}/{id}/contacts?limit=1&after={page.GetProperty("next").GetString()}"));
        Assert.Equal("wm00030", page.GetProperty("items")[0].GetProperty("externalUserId").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);

        var replaced = await Ok(await _app.Client().PutAsync($"{Segments}/{id}", Json("""
            {"name": "Dormant", "filter": {"stage": "dormant"}}
            """)));
        Assert.Equal(created.GetProperty("createdAt").GetString(), replaced.GetProperty("createdAt").GetString());
        Assert.Equal(15, (await Ok(await _app.Client().GetAsync($"{Segments}/{id}/count"))).GetProperty("count").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await _app.Client().DeleteAsync($"{Segments}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Client().GetAsync($"{Segments}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Client().DeleteAsync($"{Segments}/{id}")).StatusCode);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM pool.segments"));
    }

    [Fact]
    public async Task An_ad_hoc_query_gives_the_count_and_or_the_first_page()
    {
        await Seed(30);
        const string filter = """{"all": [{"stage": "active"}, {"lastActive": {"before": "P30D"}}]}""";

        var both = await Ok(await _app.Client().PostAsync($"{Segments}/query", Json($$"""{"filter": {{filter}}, "limit": 3}""")));
        // even i with i mod 60 >= 30: 30 only
        Assert.Equal(1, both.GetProperty("count").GetInt64());
        Assert.Equal(["wm00030"], both.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalUserId").GetString()));
        Assert.Equal("active", both.GetProperty("items")[0].GetProperty("stage").GetString());

        var countOnly = await Ok(await _app.Client().PostAsync($"{Segments}/query", Json("""{"filter": {"state": "winter"}, "limit": 0}""")));
        Assert.Equal(10, countOnly.GetProperty("count").GetInt64());
        Assert.Equal(JsonValueKind.Null, countOnly.GetProperty("items").ValueKind);

        var pageOnly = await Ok(await _app.Client().PostAsync($"{Segments}/query", Json("""{"filter": {"state": "winter"}, "count": false, "limit": 4}""")));
        Assert.Equal(JsonValueKind.Null, pageOnly.GetProperty("count").ValueKind);
        Assert.Equal(4, pageOnly.GetProperty("items").GetArrayLength());
        var next = pageOnly.GetProperty("next").GetString();
        var rest = await Ok(await _app.Client().PostAsync($"{Segments}/query",
            Json($$"""{"filter": {"state": "winter"}, "count": false, "limit": 100, "after": "{{next}}"}""")));
        Assert.Equal(6, rest.GetProperty("items").GetArrayLength());
        Assert.Equal("wm00015", rest.GetProperty("items")[0].GetProperty("externalUserId").GetString());
    }

    [Fact]
    public async Task An_export_streams_every_matching_contact_once_as_NDJSON()
    {
        await Seed(2_500);
        var created = await Ok(await _app.Client().PostAsync(Segments, Json("""{"name": "Summer", "filter": {"state": "summer"}}""")),
            HttpStatusCode.Created);

        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => _app.Client().GetAsync($"{Segments}/{created.GetProperty("id").GetString()}/export", HttpCompletionOption.ResponseHeadersRead),
            () => _app.Client().PostAsync($"{Segments}/export", Json("""{"filter": {"not": {"state": "winter"}}}""")),
        })
        {
            var response = await request();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var ids = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("externalUserId").GetString()!).ToList();
            var expected = Enumerable.Range(1, 2_500).Where(i => i % 3 != 0).Select(i => $"wm{i:D5}").ToList();
            Assert.Equal(expected, ids); // each once, in id order, across the export's internal pages
        }
    }
}

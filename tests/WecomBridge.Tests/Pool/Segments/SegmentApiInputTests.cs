using System.Net;
using System.Text;
using System.Text.Json;
using WecomBridge.Pool.Segments;
using WecomBridge.Tests.Api;
using static WecomBridge.Tests.Pool.Segments.SegmentApiTests;

namespace WecomBridge.Tests.Pool.Segments;

/// <summary>One dispatcher with the pool in PostgreSQL, shared by the input tests (they only read, or are refused).</summary>
public sealed class SegmentApiFixture : IAsyncLifetime
{
    public PoolDatabase Database { get; private set; } = null!;
    public ApiApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PoolDatabase.CreateAsync();
        App = new ApiApp(settings: new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = Database.ConnectionString });
        App.Client();
        await Database.ScalarAsync<long>("""
            INSERT INTO pool.contacts (corp, external_user_id, first_seen_at) VALUES ('acme', 'wmA', now());
            SELECT count(*) FROM pool.contacts
            """);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// Malformed, hostile and oversized bodies and parameters: a 400 problem naming the JSON path of the bad value (413 for a
/// body over the limit, 403 outside the key's scope), and the pool untouched.
/// </summary>
public sealed class SegmentApiInputTests(SegmentApiFixture fixture) : IClassFixture<SegmentApiFixture>
{
    private const string Segments = "/api/v1/pool/acme/segments";

    private static string Nested(string op, int depth) =>
        string.Concat(Enumerable.Repeat($$"""{"{{op}}": """, depth)) + """{"stage": "new"}""" + new string('}', depth);

    public static TheoryData<string, string> BadSegments() => new()
    {
        { """{"name": "x", "filter": {"bogus": 1}}""", "filter.bogus" },
        { """{"name": "x", "filter": {"stage": "sleeping"}}""", "filter.stage" },
        { """{"name": "x", "filter": {"stage": ["new", "zombie"]}}""", "filter.stage[1]" },
        { """{"name": "x", "filter": {"tags": {"all": ["vip gold"]}}}""", "filter.tags.all[0]" },
        { """{"name": "x", "filter": {"tags": {"any": ["'; DROP TABLE pool.contacts; --"]}}}""", "filter.tags.any[0]" },
        { """{"name": "x", "filter": {"tags": {"any": "vip"}}}""", "filter.tags.any" },
        { """{"name": "x", "filter": {"tags": {"some": ["vip"]}}}""", "filter.tags.some" },
        { """{"name": "x", "filter": {"tags": {}}}""", "filter.tags" },
        { """{"name": "x", "filter": {"all": [{"stage": "new"}, {"state": ""}]}}""", "filter.all[1].state" },
        { """{"name": "x", "filter": {"state": "a\u0000b"}}""", "filter.state" },
        { """{"name": "x", "filter": {"stage": "new", "state": "a"}}""", "filter" },
        { """{"name": "x", "filter": {}}""", "filter" },
        { """{"name": "x", "filter": {"any": []}}""", "filter.any" },
        { """{"name": "x", "filter": {"all": {"stage": "new"}}}""", "filter.all" },
        { """{"name": "x", "filter": {"lastActive": {"before": "yesterday"}}}""", "filter.lastActive.before" },
        { """{"name": "x", "filter": {"lastActive": {"before": "P999999D"}}}""", "filter.lastActive.before" },
        { """{"name": "x", "filter": {"lastActive": {"before": "P"}}}""", "filter.lastActive.before" },
        { """{"name": "x", "filter": {"added": {"after": 17}}}""", "filter.added.after" },
        { """{"name": "x", "filter": {"added": {"since": "P1D"}}}""", "filter.added.since" },
        { """{"name": "x", "filter": {"relation": {"followUser": "a b"}}}""", "filter.relation.followUser" },
        { """{"name": "x", "filter": {"inGroup": false}}""", "filter.inGroup" },
        { """{"name": "x", "filter": {"oaSubscribed": "1' OR '1'='1"}}""", "filter.oaSubscribed" },
        { """{"name": "x", "filter": {"burstFlagged": "yes"}}""", "filter.burstFlagged" },
        { """{"name": "x", "filter": {"$where": "1=1"}}""", "filter.?" },
        { """{"name": "x", "filter": [1]}""", "filter" },
        { """{"name": "", "filter": {"stage": "new"}}""", "name" },
        { """{"name": "a\nb", "filter": {"stage": "new"}}""", "name" },
        { """{"filter": {"stage": "new"}}""", "name" },
        { """{"name": "x"}""", "filter" },
        { """{"name": "x", "filter": {"stage": "new"}, "extra": 1}""", "extra" },
        { """{"name": "x", "name": "y", "filter": {"stage": "new"}}""", "$" },
        { """not json""", "$" },
        { """[]""", "$" },
        { $$"""{"name": "x", "filter": {{Nested("not", 7)}}}""", "filter" + string.Concat(Enumerable.Repeat(".not", 7)) },
        { $$"""{"name": "x", "filter": {{Nested("not", 5000)}}}""", "$" },
        { $$$"""{"name": "x", "filter": {"all": [{{{string.Join(",", Enumerable.Repeat("""{"stage": "new"}""", 80))}}}]}}""",
            "filter.all[63]" },
        { """{"name": "x", "filter": {"tags": {"any": [""" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"t{i}\"")) + "]}}}",
            "filter.tags.any" },
        { $$$"""{"name": "x", "filter": {"state": "{{{new string('s', 65)}}}"}}""", "filter.state" },
        { $$$"""{"name": "x", "filter": {"followUser": "{{{new string('u', 129)}}}"}}""", "filter.followUser" },
        { $$$"""{"name": "{{{new string('n', 101)}}}", "filter": {"stage": "new"}}""", "name" },
        { $$$"""{"name": "x", "description": "{{{new string('d', 1001)}}}", "filter": {"stage": "new"}}""", "description" },
    };

    [Theory]
    [MemberData(nameof(BadSegments))]
    public async Task A_bad_segment_is_a_400_naming_the_path_of_the_bad_value(string body, string path)
    {
        foreach (var response in new[]
        {
            await fixture.App.Client().PostAsync(Segments, Json(body)),
            await fixture.App.Client().PostAsync($"{Segments}/query", Json(body.Replace("\"name\"", "\"limit\"").Replace("\"description\"", "\"count\""))),
        })
        {
            if (path is "name" or "description" or "extra") break; // fields of the saved segment only
            await AssertProblem(response, path);
        }
        await AssertProblem(await fixture.App.Client().PostAsync(Segments, Json(body)), path);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM pool.segments"));
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM pool.contacts"));
    }

    [Theory]
    [InlineData("""{"filter": {"stage": "new"}, "limit": 100000}""", "limit")]
    [InlineData("""{"filter": {"stage": "new"}, "limit": -1}""", "limit")]
    [InlineData("""{"filter": {"stage": "new"}, "limit": "10"}""", "limit")]
    [InlineData("""{"filter": {"stage": "new"}, "count": "yes"}""", "count")]
    [InlineData("""{"filter": {"stage": "new"}, "after": "not a cursor!"}""", "after")]
    [InlineData("""{"filter": {"stage": "new"}, "after": 5}""", "after")]
    [InlineData("""{"filter": {"stage": "new"}, "sql": "SELECT 1"}""", "sql")]
    public async Task A_bad_query_is_a_400_naming_the_field(string body, string field) =>
        await AssertProblem(await fixture.App.Client().PostAsync($"{Segments}/query", Json(body)), field);

    [Theory]
    [InlineData("not-a-guid/count", "id")]
    [InlineData("%27%3B%20DROP%20TABLE%20pool.segments%3B--/contacts", "id")]
    [InlineData("00000000-0000-0000-0000-000000000001/contacts?limit=0", "limit")]
    [InlineData("00000000-0000-0000-0000-000000000001/contacts?limit=5&limit=6", "limit")]
    [InlineData("00000000-0000-0000-0000-000000000001/contacts?after=%21%21", "after")]
    public async Task A_bad_id_or_page_parameter_is_a_400_naming_it(string path, string parameter) =>
        await AssertProblem(await fixture.App.Client().GetAsync($"{Segments}/{path}"), parameter);

    [Fact]
    public async Task Oversized_unknown_non_JSON_and_out_of_scope_requests_are_refused()
    {
        var huge = $$$"""{"name": "{{{new string('n', SegmentLimits.BodyBytes)}}}", "filter": {"stage": "new"}}""";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await fixture.App.Client().PostAsync(Segments, Json(huge))).StatusCode);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await fixture.App.Client().PostAsync($"{Segments}/query", chunked)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await fixture.App.Client().PostAsync(Segments,
            new StringContent("""{"name": "x", "filter": {"stage": "new"}}""", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Client().GetAsync($"{Segments}/{Guid.NewGuid()}/export")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Client(null).GetAsync(Segments)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.Client(ApiApp.OtherKey).GetAsync(Segments)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.Client(ApiApp.OtherKey).PostAsync($"{Segments}/query",
            Json("""{"filter": {"stage": "new"}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.Client().PostAsync($"{Segments}/query",
            Json("""{"filter": {"not": {"oaSubscribed": "news"}}}"""))).StatusCode); // an account the key may not use
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.Client().PostAsync($"{Segments}/query",
            Json("""{"filter": {"oaSubscribed": "brand"}}"""))).StatusCode);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM pool.contacts"));
    }

    [Fact]
    public async Task The_segment_endpoints_are_in_the_OpenAPI_document()
    {
        var document = await fixture.App.Client(null).GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "", "/{id}", "/query", "/{id}/count", "/{id}/contacts", "/{id}/export", "/export" })
            Assert.Contains($"\"/api/v1/pool/{{corp}}/segments{path}\"", document);
        Assert.Contains("application/x-ndjson", document);
    }

    private static async Task AssertProblem(HttpResponseMessage response, string key)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), text);
    }
}

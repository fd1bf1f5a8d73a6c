using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Pool;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool;

/// <summary>
/// The dispatcher with the pool in a PostgreSQL database of its own (migrated at start), fed through its bus: the events
/// reach the pool's consumers, the API shows them to keys of the right scope and refuses bad queries.
/// </summary>
public sealed class PoolApiTests : IAsyncLifetime
{
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

    private Task Publish(params object[] events) =>
        Task.WhenAll(events.Select(e => _app.Factory.Services.GetRequiredService<IBus>().Publish(e, e.GetType())));

    private async Task<JsonElement> GetJson(string path, string? key = ApiApp.CrmKey)
    {
        var response = await _app.Client(key).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<HttpResponseMessage> Contact(string ext) => _app.Client().GetAsync($"/api/v1/pool/acme/contacts/{ext}");

    [Fact]
    public async Task A_contact_shows_its_relations_tags_groups_and_the_linked_followers_the_key_may_see()
    {
        await Publish(Added("wmA", "zhangsan", 0, "winter-qr"), Snapshot("wmA", 1, "ou-A", "Alice", Follow("zhangsan", 0, "winter-qr", null, "vip")),
            Joined("chat1", 2, "wmA"), FollowerSnapshot("o1", 3, "ou-A"),
            FollowerSnapshot("o2", 3, "ou-A") with { Account = "news" }); // an account the key may not use

        var contact = await Eventually.Get(async () => await Contact("wmA") is { StatusCode: HttpStatusCode.OK } r
                ? await r.Content.ReadFromJsonAsync<PoolContact>() : null,
            c => c is { Groups.Count: 1, Followers.Count: 1, TagIds.Count: 1 }, what: "the contact in the pool");

        Assert.Equal("winter-qr", contact!.Relations.Single().State);
        Assert.Equal(["vip"], contact.TagIds);
        Assert.Equal("chat1", contact.Groups.Single().ChatId);
        Assert.Equal(("brand", "o1"), (contact.Followers.Single().Account, contact.Followers.Single().OpenId));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM pool.contacts"));

        var follower = await GetJson("/api/v1/pool/oa/brand/followers/o1");
        Assert.Equal("ou-A", follower.GetProperty("unionId").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client().GetAsync("/api/v1/pool/oa/news/followers/o2")).StatusCode);
    }

    [Fact]
    public async Task Contacts_are_listed_by_filter_in_pages_that_follow_the_next_cursor()
    {
        await Publish([.. Enumerable.Range(1, 5).Select(i => (object)ContactResync($"wm{i}", "u1", 1, state: "winter", tags: ["vip"])),
            ContactResync("wm9", "u1", 1, state: "summer", tags: ["vip"])]);
        await Eventually.True(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM pool.follow_relations") == 6,
            what: "six relations");

        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await GetJson($"/api/v1/pool/acme/contacts?state=winter&tag=vip&addedAfter=2026-01-01T00:00:00Z&limit=2"
                + (next is null ? "" : $"&after={next}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalUserId").GetString()!));
            next = page.GetProperty("next").GetString();
        } while (next is not null);
        Assert.Equal(["wm1", "wm2", "wm3", "wm4", "wm5"], seen);
        Assert.Empty((await GetJson("/api/v1/pool/acme/contacts?addedAfter=2027-01-01")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=100000000000", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("state=a%00b", "state")]
    [InlineData("tag=vip%20gold", "tag")]
    [InlineData("tag=%27%3B%20DROP%20TABLE%20pool.contacts%3B--", "tag")]
    [InlineData("addedAfter=yesterday", "addedAfter")]
    [InlineData("after=not-a-cursor!", "after")]
    [InlineData("state=a&state=b", "state")]
    public async Task A_malformed_or_hostile_query_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var response = await _app.Client().GetAsync($"/api/v1/pool/acme/contacts?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task Oversized_input_is_refused_and_the_pool_stays_intact()
    {
        var longState = new string('s', PoolQuery.StateLength + 1);
        Assert.Equal(HttpStatusCode.BadRequest, (await _app.Client().GetAsync($"/api/v1/pool/acme/contacts?state={longState}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _app.Client().GetAsync($"/api/v1/pool/acme/contacts?after={new string('A', 400)}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Contact(new string('w', PoolApi.IdLength + 1))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Contact("wm%20A%3B")).StatusCode);
        Assert.Equal(10L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'pool' AND table_name <> 'schema_versions'"));
    }

    [Fact]
    public async Task Keys_see_only_their_corps_and_an_unknown_contact_is_404()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(ApiApp.OtherKey).GetAsync("/api/v1/pool/acme/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(ApiApp.OtherKey).GetAsync("/api/v1/pool/acme/contacts/wmA")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client().GetAsync("/api/v1/pool/nowhere/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Client(null).GetAsync("/api/v1/pool/acme/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Contact("wmNobody")).StatusCode);
    }

    [Fact]
    public async Task Nothing_personal_reaches_the_logs_or_the_pool_unless_configured()
    {
        await Publish(Snapshot("wmP", 1, "ou-P", "Secret Name", Follow("zhangsan", 0, "qr", "Secret Remark")),
            FollowerSnapshot("oP", 1, "ou-P", remark: "Secret Follower Remark"));
        await Eventually.True(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM pool.followers") == 1, what: "the follower");
        await Eventually.True(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM pool.follow_relations") == 1, what: "the relation");

        Assert.Equal(0L, await _database.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM pool.contacts WHERE name IS NOT NULL) + (SELECT count(*) FROM pool.follow_relations WHERE remark IS NOT NULL)"
            + " + (SELECT count(*) FROM pool.followers WHERE remark IS NOT NULL)"));
        Assert.DoesNotContain("Secret", _app.App.Logs.All);
        Assert.DoesNotContain("13800000000", _app.App.Logs.All);
    }

    [Fact]
    public async Task The_pool_endpoints_are_in_the_OpenAPI_document()
    {
        var document = await _app.Client(null).GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/pool/{corp}/contacts", document);
        Assert.Contains("/api/v1/pool/{corp}/contacts/{externalUserId}", document);
        Assert.Contains("/api/v1/pool/oa/{account}/followers/{openId}", document);
    }
}

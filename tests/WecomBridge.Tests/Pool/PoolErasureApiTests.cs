using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Pool;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool;

/// <summary>
/// DELETE of a contact or a follower on the dispatcher with the pool in PostgreSQL: 204 when the pool held the person,
/// 202 when it holds nothing (the erasure still recorded for events in flight), 403 out of the key's scope, 400
/// for a hostile id; ContactErased published with ids only; older events do not bring the person back.
/// </summary>
public sealed class PoolErasureApiTests : IAsyncLifetime
{
    private PoolDatabase _database = null!;
    private ApiApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        _app = new ApiApp(settings: new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = _database.ConnectionString });
        _app.Client();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task Publish(params object[] events) =>
        Task.WhenAll(events.Select(e => _app.Factory.Services.GetRequiredService<IBus>().Publish(e, e.GetType())));

    private Task<long> Count(string sql) => _database.ScalarAsync<long>(sql);

    private Task<HttpResponseMessage> Delete(string path, string? key = ApiApp.CrmKey) => _app.Client(key).DeleteAsync(path);

    [Fact]
    public async Task Erasing_a_contact_answers_204_then_202_publishes_ContactErased_and_older_events_stay_out()
    {
        var added = Added("wmE", "u1", 0, "qr");
        await Publish(added, Joined("chat1", 1, "wmE"), Snapshot("wmE", 2, "ou-E", null, Follow("u1", 0, "qr", null, "vip")));
        await Eventually.True(async () => await Count("SELECT count(*) FROM pool.group_members") == 1
            && await Count("SELECT count(*) FROM pool.contacts WHERE union_id IS NOT NULL") == 1, what: "the contact in the pool");

        Assert.Equal(HttpStatusCode.NoContent, (await Delete("/api/v1/pool/acme/contacts/wmE")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Client().GetAsync("/api/v1/pool/acme/contacts/wmE")).StatusCode);
        Assert.Equal(0L, await Count("SELECT (SELECT count(*) FROM pool.contacts) + (SELECT count(*) FROM pool.follow_relations)"
            + " + (SELECT count(*) FROM pool.group_members)"));
        Assert.Equal(HttpStatusCode.Accepted, (await Delete("/api/v1/pool/acme/contacts/wmE")).StatusCode); // a repeat

        var erased = _app.Events.Of<ContactErased>();
        Assert.Equal(2, erased.Count);
        Assert.Equal(("contact", "acme", "wmE"), (erased[0].GetProperty("subject").GetString(), erased[0].GetProperty("corp").GetString(),
            erased[0].GetProperty("externalUserId").GetString()));
        Assert.Equal(["account", "corp", "erasedAt", "eventId", "externalUserId", "openId", "subject"],
            erased[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var late = Added("wmE", "u2", 5); // delivered late, older than the erasure
        await Publish(late, DeletedByEmployee("wmE", "u1", 6));
        await Eventually.True(async () => await Count($"SELECT count(*) FROM pool.applied_events WHERE event_id = '{late.EventId}'") == 1,
            what: "the late event consumed");
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Client().GetAsync("/api/v1/pool/acme/contacts/wmE")).StatusCode);

        await Publish(Added("wmE", "u3", 0) with { OccurredAt = DateTimeOffset.UtcNow.AddMinutes(5) }); // a new add after it
        await Eventually.True(async () => (await _app.Client().GetAsync("/api/v1/pool/acme/contacts/wmE")).StatusCode == HttpStatusCode.OK,
            what: "the contact added again");
        Assert.DoesNotContain("wmE", _app.App.Logs.All);
    }

    [Fact]
    public async Task Erasing_a_follower_or_an_unknown_person_and_out_of_scope_keys()
    {
        await Publish(FollowerSnapshot("oE", 1, "ou-E"));
        await Eventually.True(async () => await Count("SELECT count(*) FROM pool.followers") == 1, what: "the follower");

        Assert.Equal(HttpStatusCode.NoContent, (await Delete("/api/v1/pool/oa/brand/followers/oE")).StatusCode);
        Assert.Equal(0L, await Count("SELECT count(*) FROM pool.followers"));
        Assert.Equal(HttpStatusCode.Accepted, (await Delete("/api/v1/pool/oa/brand/followers/oE")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Delete("/api/v1/pool/acme/contacts/wmNeverSeen")).StatusCode);
        var follower = _app.Events.Of<ContactErased>()[0];
        Assert.Equal(("follower", "brand", "oE"), (follower.GetProperty("subject").GetString(), follower.GetProperty("account").GetString(),
            follower.GetProperty("openId").GetString()));

        Assert.Equal(HttpStatusCode.Forbidden, (await Delete("/api/v1/pool/nowhere/contacts/wmE")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Delete("/api/v1/pool/acme/contacts/wmE", ApiApp.OtherKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Delete("/api/v1/pool/oa/news/followers/oE")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Delete("/api/v1/pool/acme/contacts/wmE", null)).StatusCode);
        Assert.Equal(2L, await Count("SELECT count(*) FROM pool.erasures")); // one per person
    }

    [Theory]
    [InlineData("/api/v1/pool/acme/contacts/wm%20A%3B", "externalUserId")]
    [InlineData("/api/v1/pool/acme/contacts/%27%3B%20DELETE%20FROM%20pool.contacts%3B--", "externalUserId")]
    [InlineData("/api/v1/pool/acme/contacts/wm%0AA", "externalUserId")]
    [InlineData("/api/v1/pool/acme/contacts/%E5%BC%A0%E4%B8%89", "externalUserId")]
    [InlineData("/api/v1/pool/oa/brand/followers/o%2A", "openId")]
    [InlineData("/api/v1/pool/oa/brand/followers/LONG", "openId")]
    public async Task A_hostile_or_oversized_id_is_a_400_naming_it_and_erases_nothing(string path, string field)
    {
        await Publish(Added("wmKeep", "u1", 0), Subscribed("oKeep", 0));
        await Eventually.True(async () => await Count("SELECT (SELECT count(*) FROM pool.contacts) + (SELECT count(*) FROM pool.followers)") == 2,
            what: "the pool");

        var response = await Delete(path.Replace("LONG", new string('o', 129), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0L, await Count("SELECT count(*) FROM pool.erasures"));
        Assert.Equal(2L, await Count("SELECT (SELECT count(*) FROM pool.contacts) + (SELECT count(*) FROM pool.followers)"));
        Assert.Empty(_app.Events.Of<ContactErased>());
    }

    [Fact]
    public async Task The_erasure_endpoints_are_in_the_OpenAPI_document()
    {
        using var document = JsonDocument.Parse(await _app.Client(null).GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/v1/pool/{corp}/contacts/{externalUserId}").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/v1/pool/oa/{account}/followers/{openId}").TryGetProperty("delete", out _));
    }
}

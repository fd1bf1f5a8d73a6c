using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Journeys;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// The CRM's enrol and exit routes on the dispatcher, with enrolments in memory and in PostgreSQL: 201, the repeat of a
/// requestId, 409 for a running enrolment, exits with and without the declared exitCall, the events they publish, and
/// refused input that enrols nobody.
/// </summary>
public sealed class JourneyEnrolmentApiTests
{
    private const string Journeys = "/api/v1/journeys/acme";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Journey(string id, string exits = """[ { "kind": "exitCall" } ]""") => $$"""
        { "id": "{{id}}", "name": "CRM journey", "trigger": { "kind": "enrolCall" },
          "steps": [ { "id": "hello", "delay": "P1D", "action": { "kind": "customerTask", "text": "Hello" } } ], "exits": {{exits}} }
        """;

    internal static async Task<JsonElement> Ok(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A contact added by zhangsan, in the app's pool.</summary>
    internal static async Task AddContactAsync(ApiApp app, string ext)
    {
        var projection = app.Factory.Services.GetRequiredService<PoolProjection>();
        var pool = app.Factory.Services.GetRequiredService<IPoolStore>();
        var added = PoolEvents.Added(ext, "zhangsan", 0);
        await pool.ApplyAsync(added.EventId, projection.Map(added)!);
    }

    private static async Task With(bool postgres, Func<ApiApp, Task> test)
    {
        var database = postgres ? await PoolDatabase.CreateAsync() : null;
        var settings = new Dictionary<string, string?> { ["Journeys:RunnerEnabled"] = "false" };
        if (database is not null) settings["ConnectionStrings:Postgres"] = database.ConnectionString;
        var app = new ApiApp(settings: settings);
        try
        {
            await test(app);
        }
        finally
        {
            await app.DisposeAsync();
            if (database is not null) await database.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task The_CRM_enrols_a_contact_once_per_request_id_and_ends_it_with_an_exit_call(bool postgres) => With(postgres, async app =>
    {
        var client = app.Client();
        await Ok(await client.PostAsync(Journeys, Json(Journey("crm-j"))), HttpStatusCode.Created);
        var ext = "wm" + Guid.NewGuid().ToString("N")[..10];
        await AddContactAsync(app, ext);

        var created = await client.PostAsync($"{Journeys}/crm-j/enrolments", Json($$"""{"externalUserId":"{{ext}}","requestId":"r-1"}"""));
        var first = await Ok(created, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/journeys/acme/contacts/{ext}", created.Headers.Location!.OriginalString);
        Assert.Equal(("crm-j", 1, "running", "zhangsan", "request:r-1"), (first.GetProperty("journey").GetString(),
            first.GetProperty("version").GetInt32(), first.GetProperty("state").GetString(), first.GetProperty("followUser").GetString(),
            first.GetProperty("source").GetString()));
        var id = first.GetProperty("enrolmentId").GetString();

        var repeat = await Ok(await client.PostAsync($"{Journeys}/crm-j/enrolments", Json($$"""{"externalUserId":"{{ext}}","requestId":"r-1"}""")));
        Assert.Equal(id, repeat.GetProperty("enrolmentId").GetString());
        var other = await client.PostAsync($"{Journeys}/crm-j/enrolments", Json($$"""{"externalUserId":"{{ext}}","requestId":"r-2"}"""));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains(id!, await other.Content.ReadAsStringAsync());

        var exited = await Ok(await client.PostAsync($"{Journeys}/crm-j/exits", Json($$"""{"externalUserId":"{{ext}}"}""")));
        Assert.Equal(("exited", "exitCall"), (exited.GetProperty("state").GetString(), exited.GetProperty("exitReason").GetString()));
        var again = await Ok(await client.PostAsync($"{Journeys}/crm-j/exits", Json($$"""{"enrolmentId":"{{id}}"}""")));
        Assert.Equal(id, again.GetProperty("enrolmentId").GetString());
        Assert.Equal(HttpStatusCode.NotFound,
            (await client.PostAsync($"{Journeys}/crm-j/exits", Json($$"""{"externalUserId":"{{ext}}"}"""))).StatusCode);

        // Ended, the contact may be enrolled again (another request id); the events reach the publisher (PostgreSQL: the outbox).
        await Ok(await client.PostAsync($"{Journeys}/crm-j/enrolments", Json($$"""{"externalUserId":"{{ext}}","requestId":"r-3"}""")),
            HttpStatusCode.Created);
        await Eventually.True(() => app.Events.Of<JourneyEnrolled>().Count == 2 && app.Events.Of<JourneyExited>().Count == 1,
            what: "two JourneyEnrolled and one JourneyExited published");
        var exit = Assert.Single(app.Events.Of<JourneyExited>());
        Assert.Equal(("exitCall", id), (exit.GetProperty("reason").GetString(), exit.GetProperty("enrolmentId").GetString()));
        Assert.Equal("enrolCall", app.Events.Of<JourneyEnrolled>()[0].GetProperty("trigger").GetString());
    });

    [Fact]
    public Task Unknown_journeys_contacts_and_corps_are_404_and_an_inactive_journey_or_an_undeclared_exit_409() => With(false, async app =>
    {
        var client = app.Client();
        await Ok(await client.PostAsync(Journeys, Json(Journey("no-exit", "[]"))), HttpStatusCode.Created);
        await Ok(await client.PostAsync(Journeys, Json(Journey("paused"))), HttpStatusCode.Created);
        await Ok(await client.DeleteAsync($"{Journeys}/paused"));
        var ext = "wm" + Guid.NewGuid().ToString("N")[..10];
        await AddContactAsync(app, ext);
        var body = Json($$"""{"externalUserId":"{{ext}}"}""");

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"{Journeys}/nope/enrolments", body)).StatusCode);
        // A corp outside the key's scope is refused before anything is read (as on the definition routes).
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/journeys/zeta/no-exit/enrolments", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await client.PostAsync($"{Journeys}/no-exit/enrolments", Json("""{"externalUserId":"wmNobody"}"""))).StatusCode);
        var inactive = await client.PostAsync($"{Journeys}/paused/enrolments", body);
        Assert.Equal(HttpStatusCode.Conflict, inactive.StatusCode);
        Assert.Contains("inactive", await inactive.Content.ReadAsStringAsync());

        await Ok(await client.PostAsync($"{Journeys}/no-exit/enrolments", body), HttpStatusCode.Created);
        var refused = await client.PostAsync($"{Journeys}/no-exit/exits", body);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("exitCall", await refused.Content.ReadAsStringAsync());
        var store = app.Factory.Services.GetRequiredService<IJourneyStore>();
        Assert.Single(await store.RunningAsync("acme", ext));
    });

    [Fact]
    public Task Malformed_hostile_and_oversized_bodies_are_refused_by_field_and_enrol_nobody() => With(false, async app =>
    {
        var client = app.Client();
        await Ok(await client.PostAsync(Journeys, Json(Journey("guarded"))), HttpStatusCode.Created);
        var ext = "wm" + Guid.NewGuid().ToString("N")[..10];
        await AddContactAsync(app, ext);
        var enrol = $"{Journeys}/guarded/enrolments";

        async Task Refused(string url, HttpContent content, HttpStatusCode status, string? field = null)
        {
            var response = await client.PostAsync(url, content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
            if (field is not null) Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
            Assert.DoesNotContain("<script>", text);
        }

        await Refused(enrol, Json("not json"), HttpStatusCode.BadRequest, "$");
        await Refused(enrol, Json("[1,2]"), HttpStatusCode.BadRequest, "$");
        await Refused(enrol, Json("{}"), HttpStatusCode.BadRequest, "externalUserId");
        await Refused(enrol, Json("""{"externalUserId":42}"""), HttpStatusCode.BadRequest, "externalUserId");
        await Refused(enrol, Json("""{"externalUserId":"wm<script>alert(1)</script>"}"""), HttpStatusCode.BadRequest, "externalUserId");
        await Refused(enrol, Json($$"""{"externalUserId":"{{new string('a', 129)}}"}"""), HttpStatusCode.BadRequest, "externalUserId");
        await Refused(enrol, Json($$"""{"externalUserId":"{{ext}}","requestId":"{{new string('r', 129)}}"}"""), HttpStatusCode.BadRequest,
            "requestId");
        await Refused(enrol, Json($$"""{"externalUserId":"{{ext}}","requestId":"a b\u0000"}"""), HttpStatusCode.BadRequest, "requestId");
        await Refused(enrol, Json($$"""{"externalUserId":"{{ext}}","extra":1}"""), HttpStatusCode.BadRequest, "extra");
        await Refused(enrol, Json($$"""{"externalUserId":"{{ext}}","externalUserId":"{{ext}}"}"""), HttpStatusCode.BadRequest, "$");
        await Refused(enrol, Json($$"""{"externalUserId":"{{ext}}","requestId":"{{new string('x', 5000)}}"}"""),
            HttpStatusCode.RequestEntityTooLarge);
        await Refused(enrol, new StringContent($$"""{"externalUserId":"{{ext}}"}""", Encoding.UTF8, "text/plain"),
            HttpStatusCode.UnsupportedMediaType);
        await Refused($"{Journeys}/bad%20id/enrolments", Json($$"""{"externalUserId":"{{ext}}"}"""), HttpStatusCode.BadRequest, "id");
        await Refused($"{Journeys}/guarded/exits", Json("{}"), HttpStatusCode.BadRequest, "externalUserId");
        await Refused($"{Journeys}/guarded/exits", Json($$"""{"externalUserId":"{{ext}}","enrolmentId":"{{Guid.NewGuid()}}"}"""),
            HttpStatusCode.BadRequest, "externalUserId");
        await Refused($"{Journeys}/guarded/exits", Json("""{"enrolmentId":"not-a-guid"}"""), HttpStatusCode.BadRequest, "enrolmentId");
        await Refused($"{Journeys}/guarded/exits", Json($$"""{"enrolmentId":"{{Guid.NewGuid()}}"}"""), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.Client(key: null).PostAsync(enrol, Json($$"""{"externalUserId":"{{ext}}"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await app.Client(ApiApp.OtherKey).PostAsync(enrol, Json($$"""{"externalUserId":"{{ext}}"}"""))).StatusCode);
        Assert.Empty(await app.Factory.Services.GetRequiredService<IJourneyStore>().RunningAsync("acme", ext));
        Assert.Empty(app.Events.Of<JourneyEnrolled>());

        var document = JsonDocument.Parse(await app.Client(key: null).GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/journeys/{corp}/{id}/enrolments", "/api/v1/journeys/{corp}/{id}/exits" })
        {
            var post = document.GetProperty(path).GetProperty("post");
            Assert.Equal("Journeys", post.GetProperty("tags")[0].GetString());
            Assert.True(post.GetProperty("security")[0].TryGetProperty("ApiKey", out _), path);
        }
    });
}

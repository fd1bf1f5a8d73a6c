using System.Net;
using System.Text;
using System.Text.Json;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Journeys.Definitions;
using static WecomBridge.Tests.Journeys.Definitions.JourneyDefinitionApiTests;

namespace WecomBridge.Tests.Journeys.Views;

/// <summary>One dispatcher with a journey "welcome" and its store in memory, shared by the input tests (they change nothing).</summary>
public sealed class JourneyViewsFixture : IAsyncLifetime
{
    internal JourneyViewsApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await JourneyViewsApp.StartAsync();
        await Ok(await App.Client().PostAsync("/api/v1/journeys/acme",
            Json(JourneyJson.Journey(JourneyViewApiTests.TwoSteps, id: "welcome"))), HttpStatusCode.Created);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Malformed, hostile and oversized requests to the journey views: a 400 problem naming the field (413 for a body over
/// the limit, 415 for one that is not JSON, 401 without a key, 403 outside the key's corps, 404 for what does not exist),
/// and nothing enrolled.
/// </summary>
public sealed class JourneyViewApiInputTests(JourneyViewsFixture fixture) : IClassFixture<JourneyViewsFixture>
{
    private const string DryRun = "/api/v1/journeys/acme/welcome/dry-run";

    [Theory]
    [InlineData("/api/v1/journeys/acme/bad%20id!/progress", "id")]
    [InlineData("/api/v1/journeys/acme/-starts-with-dash/progress", "id")]
    [InlineData("/api/v1/journeys/acme/contacts/%3Cscript%3E", "externalUserId")]
    [InlineData("/api/v1/journeys/acme/contacts/wm'%20OR%201=1--", "externalUserId")]
    [InlineData("/api/v1/journeys/acme/contacts/wmA?limit=0", "limit")]
    [InlineData("/api/v1/journeys/acme/contacts/wmA?limit=-1", "limit")]
    [InlineData("/api/v1/journeys/acme/contacts/wmA?limit=abc", "limit")]
    [InlineData("/api/v1/journeys/acme/contacts/wmA?limit=101", "limit")]
    [InlineData("/api/v1/journeys/acme/contacts/wmA?limit=99999999999999", "limit")]
    [InlineData("/api/v1/journeys/acme/contacts/wmA?limit=1&limit=2", "limit")]
    [InlineData("/api/v1/journeys/acme/contacts/wmA?limit=", "limit")]
    public async Task Bad_ids_and_limits_are_a_problem_naming_the_field(string url, string field) =>
        await AssertProblem(await fixture.App.Client().GetAsync(url), field);

    [Fact]
    public async Task Oversized_ids_are_refused()
    {
        await AssertProblem(await fixture.App.Client().GetAsync($"/api/v1/journeys/acme/{new string('j', 65)}/progress"), "id");
        await AssertProblem(await fixture.App.Client().GetAsync($"/api/v1/journeys/acme/contacts/{new string('w', 129)}"), "externalUserId");
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "not json", "$" },
        { "[]", "$" },
        { "\"wmA\"", "$" },
        { "{}", "externalUserId" },
        { """{"externalUserId": null}""", "externalUserId" },
        { """{"externalUserId": 5}""", "externalUserId" },
        { """{"externalUserId": ""}""", "externalUserId" },
        { """{"externalUserId": "<script>alert(1)</script>"}""", "externalUserId" },
        { $$"""{"externalUserId": "{{new string('w', 129)}}"}""", "externalUserId" },
        { """{"externalUserId": "wmA", "externalUserId": "wmB"}""", "$" },
        { """{"externalUserId": "wmA", "at": "2026-12-06T10:00:00"}""", "at" },
        { """{"externalUserId": "wmA", "at": "tomorrow"}""", "at" },
        { """{"externalUserId": "wmA", "at": 1765000000}""", "at" },
        { """{"externalUserId": "wmA", "at": "9999-12-31T23:59:59Z"}""", "at" },
        { """{"externalUserId": "wmA", "at": "0001-01-01T00:00:00+14:00"}""", "at" },
        { """{"externalUserId": "wmA", "send": true}""", "send" },
        { """{"externalUserId": "wmA", "x": [[[[[[[[[[[[1]]]]]]]]]]]]}""", "$" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_dry_run_bodies_are_a_problem_naming_the_field(string body, string field)
    {
        await AssertProblem(await fixture.App.Client().PostAsync(DryRun, Json(body)), field);
        Assert.Equal(0, (await fixture.App.Store.CountAsync("acme", "welcome")).Enrolled);
    }

    [Fact]
    public async Task Oversized_and_non_JSON_bodies_are_refused()
    {
        var huge = $$"""{"externalUserId": "wmA", "pad": "{{new string('x', 1024 * 1024)}}"}""";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await fixture.App.Client().PostAsync(DryRun, Json(huge))).StatusCode);
        var text = new StringContent("externalUserId=wmA", Encoding.UTF8, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await fixture.App.Client().PostAsync(DryRun, text)).StatusCode);
    }

    [Fact]
    public async Task Keys_corps_and_journeys_are_checked()
    {
        var client = fixture.App.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Client(null).GetAsync("/api/v1/journeys/acme/welcome/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Client("wrong-key").GetAsync("/api/v1/journeys/acme/contacts/wmA")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/journeys/beta/welcome/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/journeys/beta/contacts/wmA")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/journeys/beta/welcome/dry-run",
            Json("""{"externalUserId": "wmA"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Client(ApiApp.OtherKey).GetAsync("/api/v1/journeys/beta/nope/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/journeys/acme/nope/dry-run",
            Json("""{"externalUserId": "wmA"}"""))).StatusCode);
    }

    [Fact]
    public async Task The_journey_views_are_in_the_OpenAPI_document_under_Journeys()
    {
        var document = JsonDocument.Parse(await fixture.App.Client(null).GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[] { ("/api/v1/journeys/{corp}/{id}/progress", "get"),
                     ("/api/v1/journeys/{corp}/contacts/{externalUserId}", "get"), ("/api/v1/journeys/{corp}/{id}/dry-run", "post") })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.Equal("Journeys", operation.GetProperty("tags")[0].GetString());
            Assert.True(operation.GetProperty("responses").TryGetProperty("503", out _), path);
        }
        Assert.Contains("JourneyProgress", document.GetRawText());
        Assert.Contains("JourneyDryRun", document.GetRawText());
    }

    private static async Task AssertProblem(HttpResponseMessage response, string key)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), text);
        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
    }
}

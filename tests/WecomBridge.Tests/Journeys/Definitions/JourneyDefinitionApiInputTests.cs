using System.Net;
using System.Text;
using System.Text.Json;
using WecomBridge.Journeys.Definitions;
using WecomBridge.Tests.Api;
using static WecomBridge.Tests.Journeys.Definitions.JourneyDefinitionApiTests;

namespace WecomBridge.Tests.Journeys.Definitions;

/// <summary>One dispatcher with its journeys in memory, shared by the input tests: they are all refused, nothing is stored.</summary>
public sealed class JourneyApiFixture : IAsyncLifetime
{
    public ApiApp App { get; } = new();

    public Task InitializeAsync()
    {
        App.Client();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Malformed, hostile and oversized requests to the definition endpoints: a 400 problem naming the field (413 for a body
/// over the limit, 415 for one that is not JSON, 403 outside the key's scope, 404 for what does not exist), and no journey
/// stored.
/// </summary>
public sealed class JourneyDefinitionApiInputTests(JourneyApiFixture fixture) : IClassFixture<JourneyApiFixture>
{
    private const string Journeys = "/api/v1/journeys/acme";

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "not json", "$" },
        { "[]", "$" },
        { "\"journey\"", "$" },
        { JourneyJson.Journey().Replace("\"name\": \"J\"", "\"name\": \"J\", \"name\": \"K\""), "$" },
        { JourneyJson.Journey().Replace("{\"kind\": \"contactAdded\"}", "{\"kind\": \"contactAdded\", \"kind\": \"enrolCall\"}"), "$" },
        { JourneyJson.Journey(extra: ", \"x\": " + string.Concat(Enumerable.Repeat("[", 100)) + new string(']', 100)), "$" },
        { JourneyJson.Journey(id: "a b"), "id" },
        { JourneyJson.Journey(extra: ", \"owner\": \"me\""), "owner" },
        { JourneyJson.Action("""{"kind": "customerTask", "text": "a\u0000b"}"""), "steps[0].action.text" },
        { JourneyJson.Action("""{"kind": "customerTask", "attachments": [{"type": "link", "title": "t", "url": "javascript:alert(1)"}]}"""),
            "steps[0].action.attachments[0].url" },
        { JourneyJson.Action("""{"kind": "tag", "tagId": "etA"}""").Replace("P1D", "P9999D"), "steps[0].delay" },
        { JourneyJson.Conditions("""[{"tags": {"any": ["'; DROP TABLE journeys.definition_versions; --"]}}]"""),
            "steps[0].conditions[0].tags.any[0]" },
        { JourneyJson.Action("""{"kind": "employeeReminder", "app": "notify", "text": "hi"}"""), "steps[0].action.app" },
        { JourneyJson.Journey(trigger: $$"""{"kind": "segmentEntered", "segmentId": "{{Guid.NewGuid()}}"}"""), "trigger.segmentId" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_journey_is_a_400_naming_the_path_of_the_bad_value(string body, string path)
    {
        await AssertProblem(await fixture.App.Client().PostAsync(Journeys, Json(body)), path);
        await AssertNothingStored();
    }

    [Theory]
    [InlineData("a%20b", "id")]
    [InlineData("%27%3B%20DROP%20TABLE%20x%3B--", "id")]
    [InlineData("welcome?version=abc", "version")]
    [InlineData("welcome?version=0", "version")]
    [InlineData("welcome?version=-1", "version")]
    [InlineData("welcome?version=99999999999", "version")]
    [InlineData("welcome?version=1&version=2", "version")]
    [InlineData("welcome?version=1e3", "version")]
    public async Task A_bad_id_or_version_is_a_400_naming_it(string path, string parameter) =>
        await AssertProblem(await fixture.App.Client().GetAsync($"{Journeys}/{path}"), parameter);

    [Fact]
    public async Task Unknown_journeys_and_versions_are_404()
    {
        var client = fixture.App.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Journeys}/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Journeys}/nothing-here?version=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync($"{Journeys}/nothing-here", Json(JourneyJson.Journey()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{Journeys}/nothing-here")).StatusCode);
        await AssertNothingStored();
    }

    [Fact]
    public async Task Oversized_non_JSON_unauthenticated_and_out_of_scope_requests_are_refused()
    {
        var client = fixture.App.Client();
        var huge = JourneyJson.Journey(extra: $", \"description\": \"{new string('d', JourneyLimits.BodyBytes)}\"");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync(Journeys, Json(huge))).StatusCode);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync(Journeys, chunked)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync(Journeys,
            new StringContent(JourneyJson.Journey(), Encoding.UTF8, "text/plain"))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Client(null).GetAsync(Journeys)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.Client(ApiApp.OtherKey).GetAsync(Journeys)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.Client(ApiApp.OtherKey).PostAsync(Journeys, Json(JourneyJson.Journey()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/journeys/nowhere")).StatusCode); // unknown: no probing
        // An Official Account the key may not use, in the trigger, an action or a condition.
        foreach (var body in new[]
        {
            JourneyJson.Journey(trigger: """{"kind": "followerSubscribed", "account": "news"}"""),
            JourneyJson.Action("""{"kind": "template", "account": "news", "templateId": "T1", "data": {"k": "v"}}"""),
            JourneyJson.Conditions("""[{"not": {"oaSubscribed": "news"}}]"""),
        })
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync(Journeys, Json(body))).StatusCode);
        await AssertNothingStored();
    }

    [Fact]
    public async Task The_definition_endpoints_are_in_the_OpenAPI_document()
    {
        var document = await fixture.App.Client(null).GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/v1/journeys/{corp}\"", document);
        Assert.Contains("\"/api/v1/journeys/{corp}/{id}\"", document);
        Assert.Contains("JourneyVersion", document);
    }

    private async Task AssertNothingStored() =>
        Assert.Equal(0, (await Ok(await fixture.App.Client().GetAsync(Journeys))).GetProperty("items").GetArrayLength());

    private static async Task AssertProblem(HttpResponseMessage response, string key)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), text);
        Assert.DoesNotContain("DROP TABLE", text, StringComparison.Ordinal);
    }
}

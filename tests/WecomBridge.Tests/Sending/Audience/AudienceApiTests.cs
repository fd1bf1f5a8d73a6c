using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Contracts.Sending;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Sending.Api;
using static WecomBridge.Tests.Pool.Segments.SegmentApiTests;

namespace WecomBridge.Tests.Sending.Audience;

/// <summary>
/// POST /api/v1/messages with a customer task's audience (the embedded mode: the pool in memory): a saved segment or a
/// filter, one of them, instead of lists; malformed, hostile and oversized audiences are 400 naming the field, and
/// nothing is queued.
/// </summary>
public sealed class AudienceApiTests : IAsyncLifetime
{
    private readonly ApiApp _api = SendApiApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private static string Body(string audience, string extra = "") =>
        "{\"kind\":\"customer-task\",\"corp\":\"acme\",\"customerTask\":{\"text\":\"Spring sale\"" + extra + ",\"audience\":" + audience + "}}";

    private static string Nested(string op, int depth) =>
        string.Concat(Enumerable.Repeat($$"""{"{{op}}":""", depth)) + """{"stage":"active"}""" + new string('}', depth);

    public static TheoryData<string, string> BadAudiences => new()
    {
        { Body("""{"filter":{"stage":"active"}}""", ""","externalUserIds":["wm1"]"""), "customerTask.audience" },
        { Body("""{"filter":{"stage":"active"}}""", ""","tagFilter":[["t1"]]"""), "customerTask.audience" },
        { Body("{}"), "customerTask.audience" },
        { Body("null"), "customerTask" },
        { Body("""{"segment":null,"filter":null}"""), "customerTask.audience" },
        { Body("""{"segment":"0193a1b2-0000-7000-8000-000000000001","filter":{"stage":"active"}}"""), "customerTask.audience" },
        { Body("""{"segment":"not-a-segment"}"""), "customerTask.audience.segment" },
        { Body($$"""{"segment":"{{new string('a', 100_000)}}"}"""), "customerTask.audience.segment" },
        { Body("""{"segment":42}"""), "customerTask.audience.segment" },
        { Body("""{"segment":"0193a1b2-0000-7000-8000-000000000001"}"""), "customerTask.audience.segment" },
        { Body("""{"filter":{"stage":"active"},"extra":1}"""), "customerTask.audience.extra" },
        { Body("""{"filter":"stage=active"}"""), "customerTask.audience.filter" },
        { Body("""{"filter":{"stage":"asleep"}}"""), "customerTask.audience.filter.stage" },
        { Body("""{"filter":{"drop table":"x"}}"""), "customerTask.audience.filter.?" },
        { Body("""{"filter":{"stage":"active","tags":{"any":["t"]}}}"""), "customerTask.audience.filter" },
        { Body($$"""{"filter":{{Nested("not", 7)}}}"""), "customerTask.audience.filter" + string.Concat(Enumerable.Repeat(".not", 7)) },
        { Body("""{"filter":{"tags":{"any":[""" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"t{i}\"")) + "]}}}"),
            "customerTask.audience.filter.tags.any" },
        { Body("""{"filter":{"any":[""" + string.Join(",", Enumerable.Range(0, 70).Select(_ => """{"stage":"new"}""")) + "]}}"),
            "customerTask.audience.filter.any[63]" },
        { Body("{\"filter\":{\"followUser\":\"" + new string('u', 5_000) + "\"}}"), "customerTask.audience.filter.followUser" },
        // deeper than the body may nest at all: refused before any filter is read
        { Body($$"""{"filter":{{Nested("not", 20)}}}"""), "customerTask.audience.filter" },
    };

    [Theory]
    [MemberData(nameof(BadAudiences))]
    public async Task A_bad_audience_is_400_naming_the_field_and_queues_nothing(string json, string field)
    {
        var response = await _api.Client().PostJson(json);

        var problem = await ApiKeyTests.AssertProblem(response, 400);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal)), errors.ToString());
        Assert.Equal(0, _api.Events.Count);
    }

    [Fact]
    public async Task A_saved_segment_is_queued_with_its_filter_as_it_is_now_and_the_message_id_answers_202()
    {
        var created = await _api.Client().PostAsync("/api/v1/pool/acme/segments",
            Json("""{"name": "Spring", "filter": {"all": [{"state": "spring"}, {"not": {"stage": "lost"}}]}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var response = await _api.Client().PostJson(Body($$"""{"segment":"{{id}}"}""", ""","sender":"zhangsan" """));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var command = Assert.Single(_api.Events.Of<SendRequested>()).GetProperty("customerTask");
        Assert.Equal("zhangsan", command.GetProperty("sender").GetString());
        var audience = command.GetProperty("audience");
        Assert.Equal(id, audience.GetProperty("segment").GetString());
        Assert.Equal("spring", audience.GetProperty("filter").GetProperty("all")[0].GetProperty("state").GetString());
        Assert.False(command.TryGetProperty("externalUserIds", out var ids) && ids.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task An_inline_filter_six_levels_deep_is_accepted()
    {
        var response = await _api.Client().PostJson(Body($$"""{"filter":{{Nested("not", 6)}}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(_api.Events.Of<SendRequested>());
    }

    [Fact]
    public async Task A_filter_naming_an_account_the_key_may_not_use_is_403()
    {
        var response = await _api.Client().PostJson(Body("""{"filter":{"oaSubscribed":"news"}}"""));

        await ApiKeyTests.AssertProblem(response, 403);
        Assert.Equal(0, _api.Events.Count);
    }

    [Fact]
    public async Task Without_the_pool_an_audience_is_400()
    {
        await using var api = SendApiApp.Create(new Dictionary<string, string?> { ["Pool:Enabled"] = "false" });

        var problem = await ApiKeyTests.AssertProblem(await api.Client().PostJson(Body("""{"filter":{"stage":"active"}}""")), 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty("customerTask.audience", out _));
        Assert.Equal(0, api.Events.Count);
    }
}

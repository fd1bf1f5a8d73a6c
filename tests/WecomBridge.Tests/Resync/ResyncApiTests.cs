using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Resync;

public sealed class ResyncApiTests : IAsyncLifetime
{
    private const string GetByUser = "/cgi-bin/externalcontact/batch/get_by_user";
    private readonly ApiApp _api = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    public static TheoryData<string, string?> BadRequests => new()
    {
        { "{}", "scope" },
        { "", null },
        { "{\"corp\":\"acme\",\"scope\":\"everything\"}", "scope" },
        { "{\"corp\":\"acme\",\"scope\":\"CONTACTS\"}", "scope" },
        { "{\"scope\":\"tags\"}", "corp" },
        { "{\"corp\":\"acme\",\"account\":\"brand\",\"scope\":\"tags\"}", "account" },
        { "{\"corp\":\"acme\",\"scope\":\"followers\"}", "account" },
        { "{\"corp\":\"acme\",\"scope\":\"contacts\"}", "userIds" },
        { "{\"corp\":\"acme\",\"scope\":\"tags\",\"userIds\":[\"zhangsan\"]}", "userIds" },
        { "{\"corp\":\"acme\",\"scope\":\"contacts\",\"userIds\":[\"张三\"]}", "userIds[0]" },
        { "{\"corp\":\"ac me\",\"scope\":\"tags\"}", "corp" },
        { "{\"corp\":[\"acme\"],\"scope\":\"tags\"}", null },
        { "{\"corp\":\"acme\",\"scope\":7}", null },
        { "{\"corp\":\"acme\",\"scope\":\"contacts\",\"userIds\":" + JsonSerializer.Serialize(Enumerable.Range(0, 10_001).Select(i => $"u{i}")) + "}", "userIds" },
        { "{\"corp\":\"" + new string('a', 100_000) + "\",\"scope\":\"tags\"}", "corp" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_400_problem_details_and_starts_nothing(string json, string? field)
    {
        var response = await _api.Client().PostAsync("/api/v1/resync", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await ApiKeyTests.AssertProblem(response, 400);
        if (field is not null)
            Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), problem.ToString());
        Assert.Empty(_api.WeCom.Journal.Entries);
        Assert.Empty(_api.OfficialAccount.Journal.Entries);
    }

    [Theory]
    [InlineData("{\"corp\":\"beta\",\"scope\":\"tags\"}")]
    [InlineData("{\"corp\":\"nowhere\",\"scope\":\"tags\"}")]
    [InlineData("{\"account\":\"news\",\"scope\":\"followers\"}")]
    public async Task A_corp_or_account_outside_the_keys_scope_is_403(string json)
    {
        var response = await _api.Client().PostAsync("/api/v1/resync", new StringContent(json, Encoding.UTF8, "application/json"));
        await ApiKeyTests.AssertProblem(response, 403);
        Assert.Empty(_api.WeCom.Journal.Entries);
    }

    [Fact]
    public async Task Without_a_key_it_is_401()
    {
        var response = await ResyncClient.StartAsync(_api.Client(key: null), new { corp = "acme", scope = "tags" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_second_request_while_one_runs_is_409_with_the_running_id_and_starts_nothing()
    {
        _api.WeCom.Faults.Latency(TimeSpan.FromSeconds(2), GetByUser, times: 1);
        var client = _api.Client();
        var body = new { corp = "acme", scope = "contacts", userIds = new[] { "zhangsan" } };

        var first = await ResyncClient.StartAsync(client, body);
        var second = await ResyncClient.StartAsync(client, body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var problem = await ApiKeyTests.AssertProblem(second, 409);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(id, problem.GetProperty("resyncId").GetString());
        Assert.EndsWith("/api/v1/resync/" + id, second.Headers.Location!.ToString());

        var other = await ResyncClient.StartAsync(client, new { corp = "acme", scope = "tags" }); // another scope may run
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);

        await ResyncClient.FinishedAsync(client, first.Headers.Location!);
        Assert.Single(_api.Events.Of<WecomBridge.Contracts.Resync.ResyncFinished>(), e => e.GetProperty("scope").GetString() == "contacts");
        var again = await ResyncClient.StartAsync(client, body); // the lock was freed
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await ResyncClient.FinishedAsync(client, again.Headers.Location!);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-an-id")]
    public async Task An_unknown_run_is_404(string id)
    {
        var response = await _api.Client().GetAsync("/api/v1/resync/" + id);
        await ApiKeyTests.AssertProblem(response, 404);
    }

    [Fact]
    public async Task Another_keys_run_is_404()
    {
        var started = await ResyncClient.StartAsync(_api.Client(), new { corp = "acme", scope = "tags" });

        var response = await _api.Client(ApiApp.OtherKey).GetAsync(started.Headers.Location);

        await ApiKeyTests.AssertProblem(response, 404);
    }
}

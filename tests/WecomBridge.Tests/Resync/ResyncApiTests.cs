using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Resync;

public sealed class ResyncApiTests : IAsyncLifetime
{
    private const string GetByUser = "/cgi-bin/externalcontact/batch/get_by_user";
    private readonly ApiApp _api = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

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

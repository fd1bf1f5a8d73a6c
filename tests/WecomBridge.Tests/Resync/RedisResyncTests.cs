using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Resync;

/// <summary>Two instances on one Redis (the real server; fails without it): one lock, one progress record.</summary>
public sealed class RedisResyncTests : IAsyncLifetime
{
    private readonly string _corp = "r" + Guid.NewGuid().ToString("N")[..12]; // own lock keys per test
    private readonly ApiApp _first;
    private readonly ApiApp _second;

    public RedisResyncTests()
    {
        _first = new ApiApp(settings: Settings(null));
        _second = new ApiApp(settings: Settings(_first.WeCom.BaseUrl));
    }

    private Dictionary<string, string?> Settings(string? weComUrl)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestServers.Redis,
            [$"WeCom:Corps:{_corp}:CorpId"] = "wwfakecorp0000001",
            [$"WeCom:Corps:{_corp}:ContactSecret"] = "contact-secret",
            ["SendApi:ApiKeys:0:Corps:1"] = _corp,
        };
        if (weComUrl is not null) settings["WeCom:BaseUrl"] = weComUrl;
        return settings;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task A_run_on_one_instance_blocks_the_same_scope_on_another_which_reads_its_progress()
    {
        _first.WeCom.Faults.Latency(TimeSpan.FromSeconds(2), "/cgi-bin/externalcontact/batch/get_by_user", times: 1);
        var body = new { corp = _corp, scope = "contacts", userIds = new[] { "zhangsan", "lisi" } };
        var (one, two) = (_first.Client(), _second.Client());

        var started = await ResyncClient.StartAsync(one, body);
        var refused = await ResyncClient.StartAsync(two, body);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(id, (await ApiKeyTests.AssertProblem(refused, 409)).GetProperty("resyncId").GetString());

        var run = await ResyncClient.FinishedAsync(two, started.Headers.Location!);
        Assert.Equal("completed", run.GetProperty("state").GetString());
        Assert.Equal(4, run.GetProperty("items").GetInt32());
        Assert.Empty(_second.Events.Of<WecomBridge.Contracts.Resync.ResyncContactRead>());

        var again = await ResyncClient.StartAsync(two, body);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("completed", (await ResyncClient.FinishedAsync(one, again.Headers.Location!)).GetProperty("state").GetString());
    }
}

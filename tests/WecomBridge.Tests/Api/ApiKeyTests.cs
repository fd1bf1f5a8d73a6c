using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WecomBridge.Tests.Api;

public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string Tags = "/api/v1/wecom/acme/contacts/wmAlice/tags";
    private static readonly object Body = new { userId = "zhangsan", add = new[] { "etTagVip" } };
    private readonly ApiApp _api = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer test-key-crm-0123456789x")]
    public async Task Without_a_valid_key_the_answer_is_401_problem_details_with_a_bearer_challenge(string? authorization)
    {
        var client = _api.Client(key: null);
        var request = new HttpRequestMessage(HttpMethod.Post, Tags) { Content = JsonContent.Create(Body) };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        await AssertProblem(response, 401);
        Assert.Empty(_api.WeCom.Journal.Entries);
    }

    [Fact]
    public async Task A_huge_bearer_value_is_401()
    {
        var response = await _api.Client(new string('k', 100_000)).PostAsJsonAsync(Tags, Body);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/wecom/beta/contacts/wmAlice/tags")]      // configured, but not this key's
    [InlineData("/api/v1/wecom/nowhere/contacts/wmAlice/tags")]   // not configured at all
    [InlineData("/api/v1/oa/news/followers/tags/100")]
    [InlineData("/api/v1/oa/nowhere/followers/tags/100")]
    public async Task A_corp_or_account_outside_the_keys_scope_is_403_problem_details(string path)
    {
        var response = await _api.Client().PostAsJsonAsync(path, new { userId = "zhangsan", add = new[] { "oAlice" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertProblem(response, 403);
        Assert.Empty(_api.WeCom.Journal.Entries);
        Assert.Empty(_api.OfficialAccount.Journal.Entries);
    }

    [Fact]
    public async Task Another_key_is_scoped_to_its_own_corp_and_its_hash_may_be_uppercase()
    {
        var response = await _api.Client(ApiApp.OtherKey).PostAsJsonAsync(Tags, Body);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Keys_and_hashes_never_appear_in_logs()
    {
        await _api.Client().PostAsJsonAsync(Tags, Body);
        await _api.Client("wrong-key").PostAsJsonAsync(Tags, Body);

        var logs = _api.App.Logs.All;
        Assert.DoesNotContain(ApiApp.CrmKey, logs);
        Assert.DoesNotContain("wrong-key", logs);
        Assert.DoesNotContain(ApiApp.Hash(ApiApp.CrmKey), logs, StringComparison.OrdinalIgnoreCase);
    }

    internal static async Task<JsonElement> AssertProblem(HttpResponseMessage response, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}

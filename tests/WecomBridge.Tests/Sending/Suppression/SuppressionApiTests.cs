using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Sending.Api;

namespace WecomBridge.Tests.Sending.Suppression;

public sealed class SuppressionApiTests : IAsyncLifetime
{
    private const string Customer = "/api/v1/wecom/acme/suppressions/wmCustomer1";
    private const string Follower = "/api/v1/oa/brand/suppressions/oFollower1";
    private readonly ApiApp _api = SendApiApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private ISuppressionList List => _api.Factory.Services.GetRequiredService<ISuppressionList>();

    [Fact]
    public async Task A_customer_for_every_member_round_trips_and_the_dispatchers_list_sees_it()
    {
        var client = _api.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Customer)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync(Customer, new { reason = "asked to stop" })).StatusCode);

        var entry = await client.GetFromJsonAsync<JsonElement>(Customer);
        Assert.Equal("asked to stop", entry.GetProperty("reason").GetString());
        Assert.Equal("asked to stop", (await List.FindAsync(SuppressionScopes.WeCom("acme"), SuppressionScopes.AnyMember("wmCustomer1")))?.Reason);
        Assert.Null(await List.FindAsync(SuppressionScopes.WeCom("acme"), SuppressionScopes.Pair("zhangsan", "wmCustomer1")));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Customer)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(Customer)).StatusCode);
        Assert.Null(await List.FindAsync(SuppressionScopes.WeCom("acme"), SuppressionScopes.AnyMember("wmCustomer1")));
    }

    [Fact]
    public async Task A_customer_for_one_member_is_the_pair_and_the_reason_defaults_to_operator()
    {
        var client = _api.Client();
        var request = new HttpRequestMessage(HttpMethod.Put, Customer + "?userId=zhangsan");

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(request)).StatusCode);

        Assert.Equal("operator", (await List.FindAsync(SuppressionScopes.WeCom("acme"), SuppressionScopes.Pair("zhangsan", "wmCustomer1")))?.Reason);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Customer + "?userId=zhangsan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Customer)).StatusCode);
    }

    [Fact]
    public async Task A_follower_round_trips()
    {
        var client = _api.Client();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync(Follower, new { reason = "complaint" })).StatusCode);
        Assert.Equal("complaint", (await List.FindAsync(SuppressionScopes.Account("brand"), "oFollower1"))?.Reason);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Follower)).StatusCode);
        await ApiKeyTests.AssertProblem(await client.GetAsync(Follower), 404);
    }

    [Theory]
    [InlineData("/api/v1/wecom/beta/suppressions/wmCustomer1")]
    [InlineData("/api/v1/oa/news/suppressions/oFollower1")]
    [InlineData("/api/v1/oa/nowhere/suppressions/oFollower1")]
    public async Task Out_of_scope_is_403(string path)
    {
        await ApiKeyTests.AssertProblem(await _api.Client().PutAsJsonAsync(path, new { reason = "x" }), 403);
        await ApiKeyTests.AssertProblem(await _api.Client().GetAsync(path), 403);
    }

    [Theory]
    [InlineData(Customer, "{\"reason\":42}")]
    [InlineData(Customer + "?userId=zhang%20san", "{}")]
    [InlineData("/api/v1/wecom/acme/suppressions/wm%E5%BC%A0", "{}")]
    [InlineData(Follower, "{\"reason\":\"bell\\u0007\"}")]
    public async Task Bad_input_is_400_and_suppresses_nothing(string path, string json)
    {
        var response = await _api.Client().PutAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await ApiKeyTests.AssertProblem(response, 400);
        Assert.Null(await List.FindAsync(SuppressionScopes.Account("brand"), "oFollower1"));
    }

    [Fact]
    public async Task A_reason_over_200_characters_is_400()
    {
        var response = await _api.Client().PutAsJsonAsync(Follower, new { reason = new string('r', 201) });
        var problem = await ApiKeyTests.AssertProblem(response, 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Contains("reason", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_corp_or_account_in_another_case_is_the_configured_one()
    {
        var client = _api.Client();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/wecom/ACME/suppressions/wmCustomer1", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/oa/Brand/suppressions/oFollower1", new { reason = "y" })).StatusCode);

        Assert.Equal("x", (await List.FindAsync(SuppressionScopes.WeCom("acme"), SuppressionScopes.AnyMember("wmCustomer1")))?.Reason);
        Assert.Equal("y", (await List.FindAsync(SuppressionScopes.Account("brand"), "oFollower1"))?.Reason);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/wecom/Acme/suppressions/wmCustomer1")).StatusCode);
        Assert.Null(await List.FindAsync(SuppressionScopes.WeCom("acme"), SuppressionScopes.AnyMember("wmCustomer1")));
    }
}

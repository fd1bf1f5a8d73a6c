using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Observability;

/// <summary>GET /api/v1/health/accounts against bad, hostile and oversized input, scopes and the OpenAPI document (embedded app).</summary>
public sealed class AccountHealthApiTests : IAsyncLifetime
{
    private const string OtherKey = "health-other-key";
    private BridgeApp _app = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _app = new BridgeApp(new Dictionary<string, string?>
        {
            ["Gateway:Spool:Path"] = Path.Combine(Path.GetTempPath(), "wb-health-" + Guid.NewGuid().ToString("N")),
            ["WeCom:Corps:acme:CorpId"] = "wwfakecorp0000001",
            ["WeCom:Corps:acme:ContactSecret"] = "contact-secret",
            ["WeCom:Corps:other:CorpId"] = "wwfakecorp0000002",
            ["OfficialAccounts:Accounts:brand:AppId"] = "wxfakeofficialacc",
            ["OfficialAccounts:Accounts:brand:Secret"] = "oa-secret",
            ["OfficialAccounts:Accounts:brand:Token"] = "brandtoken",
            ["SendApi:ApiKeys:0:Name"] = "ops",
            ["SendApi:ApiKeys:0:KeyHash"] = Api.ApiApp.Hash(MetricsApp.Key),
            ["SendApi:ApiKeys:0:Corps:0"] = "acme",
            ["SendApi:ApiKeys:0:Accounts:0"] = "brand",
            ["SendApi:ApiKeys:1:Name"] = "other",
            ["SendApi:ApiKeys:1:KeyHash"] = Api.ApiApp.Hash(OtherKey),
            ["SendApi:ApiKeys:1:Corps:0"] = "other",
        });
        _http = _app.CreateClient();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MetricsApp.Key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("?corp=", "corp")]
    [InlineData("?account=", "account")]
    [InlineData("?corp=../../etc", "corp")]
    [InlineData("?corp=acme%00", "corp")]
    [InlineData("?corp=%E2%80%AEacme", "corp")]
    [InlineData("?corp=a%20b", "corp")]
    [InlineData("?account=%3Cscript%3E", "account")]
    [InlineData("?corp=acme&account=brand", "account")]
    public async Task Bad_query_values_get_a_400_problem_naming_the_parameter(string query, string field)
    {
        var response = await _http.GetAsync("/api/v1/health/accounts" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors name {field}");
    }

    [Fact]
    public async Task An_oversized_value_gets_a_400_and_an_oversized_url_is_refused()
    {
        var response = await _http.GetAsync("/api/v1/health/accounts?corp=" + new string('a', 65));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var huge = await _http.GetAsync("/api/v1/health/accounts?corp=" + new string('a', 20_000));
        Assert.True(huge.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong, $"{huge.StatusCode}");
    }

    [Fact]
    public async Task A_corp_or_account_outside_the_keys_scope_or_not_configured_is_403()
    {
        foreach (var query in new[] { "?corp=other", "?corp=nosuchcorp", "?account=nosuchaccount" })
            Assert.Equal(HttpStatusCode.Forbidden, (await _http.GetAsync("/api/v1/health/accounts" + query)).StatusCode);
    }

    [Fact]
    public async Task Without_a_key_401_and_each_key_sees_only_its_corps_and_accounts()
    {
        using var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/health/accounts")).StatusCode);

        var mine = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/health/accounts")).RootElement;
        Assert.Equal(["acme"], mine.GetProperty("corps").EnumerateArray().Select(c => c.GetProperty("corp").GetString()));
        Assert.Equal(["brand"], mine.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account").GetString()));
        // Nothing observed yet in a fresh embedded app: unknown, not healthy.
        Assert.Equal("unknown", mine.GetProperty("status").GetString());

        using var other = _app.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OtherKey);
        var theirs = JsonDocument.Parse(await other.GetStringAsync("/api/v1/health/accounts")).RootElement;
        Assert.Equal(["other"], theirs.GetProperty("corps").EnumerateArray().Select(c => c.GetProperty("corp").GetString()));
        Assert.Equal(0, theirs.GetProperty("accounts").GetArrayLength());
    }

    [Fact]
    public async Task Names_compare_as_configuration_keys_do()
    {
        var page = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/health/accounts?corp=ACME")).RootElement;
        Assert.Equal("acme", page.GetProperty("corps")[0].GetProperty("corp").GetString());
        var account = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/health/accounts?account=Brand")).RootElement;
        Assert.Equal("brand", account.GetProperty("accounts")[0].GetProperty("account").GetString());
        Assert.Equal("/callbacks/oa/brand", account.GetProperty("accounts")[0].GetProperty("callback").GetProperty("url").GetString());
    }

    [Fact]
    public async Task The_route_is_in_the_openapi_document()
    {
        var document = await _http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/health/accounts", document);
    }
}

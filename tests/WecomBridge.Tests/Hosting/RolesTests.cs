using System.Net;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Hosting;

public class RolesTests
{
    private static Dictionary<string, string?> Corp(string? role) => new()
    {
        ["Bridge:Roles:0"] = role,
        ["WeCom:Corps:acme:CorpId"] = "ww1436e0e65a779aee",
        ["WeCom:Corps:acme:Apps:crm:Token"] = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
        ["WeCom:Corps:acme:Apps:crm:EncodingAesKey"] = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
        ["Gateway:Spool:Path"] = Path.Combine(Path.GetTempPath(), "wb-roles-" + Guid.NewGuid().ToString("N")),
    };

    [Theory]
    [InlineData("Gateway", HttpStatusCode.BadRequest)]   // mapped: refuses the unsigned request
    [InlineData("Dispatcher", HttpStatusCode.NotFound)]  // not a gateway: no callback routes
    public async Task Callback_routes_exist_only_in_the_gateway_role(string role, HttpStatusCode expected)
    {
        await using var app = new BridgeApp(Corp(role));
        var response = await app.CreateClient().PostAsync("/callbacks/wecom/acme/crm", new StringContent("<xml/>"));
        Assert.Equal(expected, response.StatusCode);
    }

    // A mapped /api/v1 route asks for an API key (401); a route the role does not serve is not found (404).
    [Theory]
    [InlineData("Gateway", "/api/v1/gateway/quarantine", HttpStatusCode.Unauthorized)]
    [InlineData("Gateway", "/api/v1/messages/m1", HttpStatusCode.NotFound)]
    [InlineData("Dispatcher", "/api/v1/gateway/quarantine", HttpStatusCode.NotFound)]
    [InlineData("Dispatcher", "/api/v1/messages/m1", HttpStatusCode.Unauthorized)]
    [InlineData("Dispatcher", "/api/v1/resync/r1", HttpStatusCode.Unauthorized)]
    public async Task Both_roles_serve_api_v1_the_gateway_its_quarantine_the_dispatcher_the_rest(
        string role, string path, HttpStatusCode expected)
    {
        await using var app = new BridgeApp(Corp(role));

        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }

    // The gateway's quarantine is behind the same API keys as the dispatcher's APIs, so each role checks them; and
    // the WeCom settings, registered by each feature that reads them, are checked once in each.
    [Theory]
    [InlineData("Gateway", "SendApi__ApiKeys__0__KeyHash", "abc", "SendApi:ApiKeys:0:KeyHash must be the 64 hex digits")]
    [InlineData("Dispatcher", "SendApi__ApiKeys__0__KeyHash", "abc", "SendApi:ApiKeys:0:KeyHash must be the 64 hex digits")]
    [InlineData("Gateway", "WeCom__Corps__acme__Apps__crm__AgentId", "x1", "WeCom:Corps:acme:Apps:crm:AgentId must be a number")]
    [InlineData("Dispatcher", "WeCom__Corps__acme__Apps__crm__AgentId", "x1", "WeCom:Corps:acme:Apps:crm:AgentId must be a number")]
    public async Task Each_role_checks_the_settings_its_features_read_and_names_each_failure_once(
        string role, string variable, string value, string expected)
    {
        var (exitCode, line, _) = await ConfigurationTests.RunWithAsync(new()
        {
            ["Bridge__Roles__0"] = role,
            ["SendApi__ApiKeys__0__Name"] = "crm",
            [variable] = value,
        });

        Assert.Equal(1, exitCode);
        Assert.StartsWith("WecomBridge: invalid configuration: ", line);
        Assert.Single(line.Split(expected).Skip(1));
    }
}

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
}

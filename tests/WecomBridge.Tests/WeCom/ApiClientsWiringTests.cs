using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Fakes;
using WecomBridge.OfficialAccount;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.WeCom;

/// <summary>The clients as the app registers them (Program.cs), resolved with configured credentials.</summary>
public class ApiClientsWiringTests
{
    [Fact]
    public async Task The_app_resolves_the_clients_and_the_configured_credentials()
    {
        using var wecom = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        await using var app = new BridgeApp(new Dictionary<string, string?>
        {
            ["WeCom:BaseUrl"] = wecom.BaseUrl,
            ["WeCom:Corps:acme:CorpId"] = "wwfakecorp0000001",
            ["WeCom:Corps:acme:ContactSecret"] = "contact-secret",
            ["WeCom:Corps:acme:Apps:crm:AgentId"] = "1000002",
            ["WeCom:Corps:acme:Apps:crm:Secret"] = "app-secret",
            ["WeCom:Corps:acme:Apps:crm:Token"] = "Token123",
            ["WeCom:Corps:acme:Apps:crm:EncodingAesKey"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            ["OfficialAccounts:BaseUrl"] = oa.BaseUrl,
            ["OfficialAccounts:Accounts:brand:AppId"] = "wxfakeofficialacc",
            ["OfficialAccounts:Accounts:brand:Secret"] = "oa-secret",
            ["OfficialAccounts:Accounts:brand:Token"] = "Token123",
        });
        var services = app.Services;
        var credentials = services.GetRequiredService<WeComCredentials>();

        var tags = await services.GetRequiredService<WeComClient>().GetCorpTagsAsync(credentials.Contact("acme"));
        var message = await services.GetRequiredService<WeComClient>().SendAppMessageAsync(credentials.App("acme", "crm"),
            new("lisi", null, null, "text", new("hi")));
        var follower = await services.GetRequiredService<OfficialAccountClient>()
            .GetFollowerAsync(services.GetRequiredService<OfficialAccountCredentials>().For("brand"), "oAlice");

        Assert.Equal(2, tags.Count);
        Assert.False(string.IsNullOrEmpty(message.MsgId));
        Assert.Equal("unAlice", follower.UnionId);
        Assert.Equal(2, wecom.Journal.Count("/cgi-bin/gettoken")); // one token per secret
        Assert.Throws<InvalidOperationException>(() => credentials.Contact("nope"));
    }

    [Fact]
    public async Task Without_base_urls_outside_development_the_clients_call_tencent()
    {
        await using var app = new BridgeApp(new Dictionary<string, string?>(), environment: "Production");
        var factory = app.Services.GetRequiredService<IHttpClientFactory>();

        Assert.Equal(new Uri("https://qyapi.weixin.qq.com/"), factory.CreateClient(nameof(WeComClient)).BaseAddress);
        Assert.Equal(new Uri("https://api.weixin.qq.com/"), factory.CreateClient(nameof(OfficialAccountClient)).BaseAddress);
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Suppression;

/// <summary>The suppression list is kept from the gateway's events, through the real RabbitMQ and Redis.</summary>
public class SuppressionTests
{
    private const string CorpId = "ww1436e0e65a779aee";
    private static readonly WeComCallbackApp WeCom = new("hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", CorpId);
    private static readonly OaCallbackApp Oa = new("OaToken1", "wxb11529c136998cb6");

    private static BridgeApp Start(string corp, string account)
    {
        var settings = BridgeApp.WithServers();
        settings[$"WeCom:Corps:{corp}:CorpId"] = CorpId;
        settings[$"WeCom:Corps:{corp}:Apps:crm:Token"] = WeCom.Token;
        settings[$"WeCom:Corps:{corp}:Apps:crm:EncodingAesKey"] = WeCom.EncodingAesKey;
        settings[$"OfficialAccounts:Accounts:{account}:AppId"] = Oa.AppId;
        settings[$"OfficialAccounts:Accounts:{account}:Token"] = Oa.Token;
        settings["Gateway:Spool:Path"] = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        return new BridgeApp(settings);
    }

    private static async Task Post(HttpClient http, string url, CallbackRequest request) =>
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request.ToHttpRequest(url))).StatusCode);

    [Fact]
    public async Task Deleted_pairs_are_suppressed_and_lifted_when_added_again()
    {
        var corp = "s" + Guid.NewGuid().ToString("N")[..8];
        await using var app = Start(corp, "a" + corp);
        var http = app.CreateClient();
        await Eventually.True(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, what: "ready");
        var list = app.Services.GetRequiredService<ISuppressionList>();
        var simulator = new CallbackSimulator();
        var url = $"/callbacks/wecom/{corp}/crm";
        var scope = SuppressionScopes.WeCom(corp);

        await Post(http, url, simulator.BuildWeComPost(WeCom, WeComEvents.ExternalContact(CorpId, "del_follow_user", "zhangsan", "wmAlice")));
        var found = await Eventually.Get(() => list.FindAsync(scope, "zhangsan/wmAlice"), s => s is not null, what: "suppressed");
        Assert.Equal("customer-deleted-employee", found!.Reason);
        Assert.Null(await list.FindAsync(scope, "lisi/wmAlice")); // the customer still follows other employees

        await Post(http, url, simulator.BuildWeComPost(WeCom, WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", "wmAlice")));
        await Eventually.Get(() => list.FindAsync(scope, "zhangsan/wmAlice"), s => s is null, what: "lifted");
    }

    [Fact]
    public async Task Unsubscribes_are_lifted_by_following_again_but_blocks_are_not()
    {
        var account = "a" + Guid.NewGuid().ToString("N")[..8];
        await using var app = Start("c" + account, account);
        var http = app.CreateClient();
        await Eventually.True(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, what: "ready");
        var list = app.Services.GetRequiredService<ISuppressionList>();
        var simulator = new CallbackSimulator();
        var url = $"/callbacks/oa/{account}";
        var scope = SuppressionScopes.Account(account);

        await Post(http, url, simulator.BuildOaPost(Oa, OfficialAccountEvents.Unsubscribe(Oa.OriginalId, "oAlice"), "oAlice"));
        await Eventually.Get(() => list.FindAsync(scope, "oAlice"), s => s?.Reason == "unsubscribed", what: "unsubscribed");
        await Post(http, url, simulator.BuildOaPost(Oa, OfficialAccountEvents.Subscribe(Oa.OriginalId, "oAlice"), "oAlice"));
        await Eventually.Get(() => list.FindAsync(scope, "oAlice"), s => s is null, what: "lifted by following again");

        await Post(http, url, simulator.BuildOaPost(Oa, OfficialAccountEvents.TemplateSendJobFinish(Oa.OriginalId, "oBob", "1001", "failed:user block"), "oBob"));
        await Eventually.Get(() => list.FindAsync(scope, "oBob"), s => s?.Reason == "user-blocked", what: "blocked");
        await Post(http, url, simulator.BuildOaPost(Oa, OfficialAccountEvents.Subscribe(Oa.OriginalId, "oBob"), "oBob"));
        await Post(http, url, simulator.BuildOaPost(Oa, OfficialAccountEvents.Unsubscribe(Oa.OriginalId, "oCarol"), "oCarol"));
        await Eventually.Get(() => list.FindAsync(scope, "oCarol"), s => s is not null, what: "a later event handled");
        Assert.Equal("user-blocked", (await list.FindAsync(scope, "oBob"))!.Reason);
    }

    [Fact]
    public async Task Redis_and_in_memory_lists_behave_alike()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        foreach (var list in new ISuppressionList[] { new RedisSuppressionList(redis), new InMemorySuppressionList() })
        {
            var scope = "test:" + Guid.NewGuid().ToString("N");
            var at = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123);
            await list.AddAsync(scope, "u/wm|odd", "reason|with bar", at);
            Assert.Equal(new WecomBridge.Sending.Suppression.Suppression("reason|with bar", at), await list.FindAsync(scope, "u/wm|odd"));
            Assert.True(await list.RemoveAsync(scope, "u/wm|odd", at.AddSeconds(1)));
            Assert.False(await list.RemoveAsync(scope, "u/wm|odd", at.AddSeconds(1)));
            Assert.Null(await list.FindAsync(scope, "u/wm|odd"));
        }
    }
}

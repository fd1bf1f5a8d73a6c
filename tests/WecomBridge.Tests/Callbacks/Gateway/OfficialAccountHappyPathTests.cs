using System.Net;
using System.Text.Json;
using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Followers;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Callbacks.Gateway;

public class OfficialAccountHappyPathTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Theory]
    [InlineData(GatewayHost.PlainUrl)]
    [InlineData(GatewayHost.SafeUrl)]
    public async Task Url_check_echoes_echostr_unchanged(string url)
    {
        var app = url == GatewayHost.PlainUrl ? GatewayHost.Plain : GatewayHost.Safe;
        const string echostr = "7042561381265536541+/=";
        var response = await host.SendAsync(host.Simulator.BuildOaUrlCheck(app, echostr), url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(echostr, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(GatewayHost.PlainUrl)]
    [InlineData(GatewayHost.SafeUrl)]
    public async Task Post_answers_success_and_publishes_the_follower_event(string url)
    {
        var app = url == GatewayHost.PlainUrl ? GatewayHost.Plain : GatewayHost.Safe;
        await using var queue = await EventQueue.OpenAsync(typeof(FollowerSubscribed));
        var openId = GatewayHost.NewId("o");

        var response = await host.SendAsync(
            host.Simulator.BuildOaPost(app, OfficialAccountEvents.Subscribe(app.OriginalId, openId, "spring", "TKT"), openId), url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        var message = await queue.WaitForAsync(openId);
        Assert.Equal(nameof(FollowerSubscribed), message.Type);
        Assert.Equal("application/json", message.ContentType);
        var body = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal(app.AppId, body.GetProperty("appId").GetString());
        Assert.Equal(app.OriginalId, body.GetProperty("originalId").GetString());
        Assert.Equal(openId, body.GetProperty("openId").GetString());
        Assert.Equal("spring", body.GetProperty("scene").GetString());
        Assert.Equal(Guid.ParseExact(body.GetProperty("eventId").GetString()!, "N"), Guid.Parse(message.MessageId!));
    }

    [Fact]
    public async Task A_safe_mode_account_refuses_a_plaintext_post_and_publishes_nothing()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(FollowerSubscribed));
        var openId = GatewayHost.NewId("o");
        var plaintextToSafe = GatewayHost.Safe with { Mode = OaEncryptionMode.Plaintext };

        var response = await host.SendAsync(host.Simulator.BuildOaPost(
            plaintextToSafe, OfficialAccountEvents.Subscribe(GatewayHost.Safe.OriginalId, openId), openId), GatewayHost.SafeUrl);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var sentinel = GatewayHost.NewId("o");
        await host.SendAsync(host.Simulator.BuildOaPost(
            GatewayHost.Safe, OfficialAccountEvents.Subscribe(GatewayHost.Safe.OriginalId, sentinel), sentinel), GatewayHost.SafeUrl);
        await queue.AssertNoneAsync(openId, sentinel);
    }

    [Fact]
    public async Task An_unknown_event_is_published_as_UnrecognizedCallbackReceived_with_the_raw_xml()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(UnrecognizedCallbackReceived));
        var openId = GatewayHost.NewId("o");
        var xml = $"<xml><ToUserName><![CDATA[{GatewayHost.Plain.OriginalId}]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName>" +
                  $"<CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType>" +
                  "<Event><![CDATA[user_did_something_new]]></Event></xml>";

        var response = await host.SendAsync(host.Simulator.BuildOaPost(GatewayHost.Plain, xml, openId), GatewayHost.PlainUrl);

        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        var body = JsonDocument.Parse((await queue.WaitForAsync(openId)).Body).RootElement;
        Assert.Equal("oa", body.GetProperty("channel").GetString());
        Assert.Equal(GatewayHost.PlainAccount, body.GetProperty("account").GetString());
        Assert.Equal(xml, body.GetProperty("rawXml").GetString());
    }
}

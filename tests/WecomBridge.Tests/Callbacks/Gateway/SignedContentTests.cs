using System.Net;
using System.Text.Json;
using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Directory;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// Once a callback's signature verified (and it decrypted with the right receive id), whatever it holds is answered
/// and published: what the gateway cannot map, or even read, goes out raw as UnrecognizedCallbackReceived.
/// </summary>
public class SignedContentTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Fact]
    public async Task Signed_wecom_content_that_is_not_xml_is_published_raw()
    {
        var marker = GatewayHost.NewId();
        var content = $"{{\"event\":\"something\",\"marker\":\"{marker}\"}}";

        var body = await PublishedAsync(() => host.PostWeComAsync(content), "", marker);

        Assert.Equal("not well-formed XML", body.GetProperty("reason").GetString());
        Assert.Equal(content, body.GetProperty("rawXml").GetString());
        Assert.Equal(GatewayHost.Corp, body.GetProperty("corp").GetString());
    }

    [Fact]
    public async Task A_verified_plaintext_official_account_body_that_is_not_xml_is_published_raw()
    {
        var openId = GatewayHost.NewId("o");
        var content = "{\"openid\":\"" + openId + "\"}";

        var body = await PublishedAsync(
            () => host.SendAsync(host.Simulator.BuildOaPost(GatewayHost.Plain, content, openId), GatewayHost.PlainUrl), "success", openId);

        Assert.Equal(("oa", GatewayHost.PlainAccount), (body.GetProperty("channel").GetString(), body.GetProperty("account").GetString()));
        Assert.Equal(content, body.GetProperty("rawXml").GetString());
    }

    [Fact]
    public async Task An_approval_event_nested_five_deep_is_published()
    {
        var spNo = GatewayHost.NewId("sp");
        var xml = Parsing.CallbackSamples.ApprovalChange(spNo).Replace("ww1436e0e65a779aee", GatewayHost.CorpId);

        var body = await PublishedAsync(() => host.PostWeComAsync(xml), "", spNo);

        Assert.Equal(("sys_approval_change", "unknown Event"), (body.GetProperty("event").GetString(), body.GetProperty("reason").GetString()));
        Assert.Equal(xml, body.GetProperty("rawXml").GetString());
    }

    [Fact]
    public async Task A_callback_without_create_time_is_published_at_its_received_time()
    {
        var customer = GatewayHost.NewId();
        var xml = System.Text.RegularExpressions.Regex.Replace(GatewayHost.Added(customer), "<CreateTime>[0-9]+</CreateTime>", "");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var body = await PublishedAsync(() => host.PostWeComAsync(xml), "", customer);

        Assert.Equal("missing CreateTime", body.GetProperty("reason").GetString());
        Assert.Equal(body.GetProperty("receivedAt").GetDateTimeOffset(), body.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.True(body.GetProperty("occurredAt").GetDateTimeOffset() > before);
    }

    [Fact]
    public async Task A_ciphertext_tampered_and_signed_with_the_token_is_published_raw()
    {
        var customer = GatewayHost.NewId();
        var ciphertext = Convert.FromBase64String(Hostile.Crypto.Encrypt(GatewayHost.Added(customer)));
        for (var i = 32; i < 48; i++) ciphertext[i] ^= 0x5A; // garbles plaintext bytes 32-63, early in the XML
        var tampered = Convert.ToBase64String(ciphertext);

        var body = await PublishedAsync(() => host.Http.SendAsync(Hostile.WeComPost(tampered)), "", customer);

        Assert.Contains(body.GetProperty("reason").GetString(), new[] { "invalid UTF-8", "not well-formed XML" });
        Assert.Contains(customer, body.GetProperty("rawXml").GetString());
    }

    private async Task<JsonElement> PublishedAsync(Func<Task<HttpResponseMessage>> send, string answer, string token)
    {
        await using var queue = await EventQueue.OpenAsync(typeof(UnrecognizedCallbackReceived));
        using var response = await send();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(answer, await response.Content.ReadAsStringAsync());

        var message = await queue.WaitForAsync(token);
        Assert.Equal(nameof(UnrecognizedCallbackReceived), message.Type);
        var body = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal(body.GetProperty("eventId").GetString(), message.MessageId);
        Assert.DoesNotContain(token, host.Bridge.Logs.All);
        return body;
    }
}

/// <summary>
/// One corp, two configured apps: WeCom pushes a corp-wide change to both, and the gateway publishes it once; two
/// changes of one member in one second stay two events.
/// </summary>
public class TwoAppsOfOneCorpTests(TwoAppsOfOneCorpTests.Host host) : IClassFixture<TwoAppsOfOneCorpTests.Host>
{
    private const string SyncApp = "sync", SyncUrl = $"/callbacks/wecom/{GatewayHost.Corp}/{SyncApp}";
    private static readonly WeComCallbackApp Sync = new("SyncToken7", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG", GatewayHost.CorpId, "1000005");

    [Fact]
    public async Task A_change_pushed_to_both_apps_is_published_once()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(EmployeeUpdated));
        var userId = GatewayHost.NewId("u");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var toCrm = await host.PostWeComAsync(Updated(userId, GatewayHost.WeCom.AgentId, now, "<Name>Zhang</Name>"));
        var toSync = await host.SendAsync(host.Simulator.BuildWeComPost(Sync, Updated(userId, Sync.AgentId, now, "<Name>Zhang</Name>")), SyncUrl);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (toCrm.StatusCode, toSync.StatusCode));
        var sentinel = GatewayHost.NewId("u");
        await host.PostWeComAsync(Updated(sentinel, GatewayHost.WeCom.AgentId, now, ""));
        await queue.WaitForAsync(sentinel);
        Assert.Single(queue.With(userId));
    }

    [Fact]
    public async Task Two_changes_of_one_member_in_one_second_are_two_events()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(EmployeeUpdated));
        var userId = GatewayHost.NewId("u");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await host.PostWeComAsync(Updated(userId, GatewayHost.WeCom.AgentId, now, "<Name>Zhang</Name>"));
        await host.PostWeComAsync(Updated(userId, GatewayHost.WeCom.AgentId, now, "<Mobile>13800000000</Mobile>"));

        await Infrastructure.Eventually.True(async () =>
        {
            await queue.WaitForAsync(userId);
            return queue.With(userId).Count == 2;
        }, TimeSpan.FromSeconds(15), "both updates");
        var ids = queue.With(userId).Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("eventId").GetString()).Distinct();
        Assert.Equal(2, ids.Count());
    }

    private static string Updated(string userId, string agentId, long createTime, string fields) =>
        $"<xml><ToUserName><![CDATA[{GatewayHost.CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        + $"<CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>"
        + $"<ChangeType>update_user</ChangeType><UserID>{userId}</UserID>{fields}<AgentID>{agentId}</AgentID></xml>";

    /// <summary>The gateway with a second app, <c>sync</c>, in the same corp.</summary>
    public sealed class Host() : GatewayHost(settings =>
    {
        settings[$"WeCom:Corps:{Corp}:Apps:{SyncApp}:AgentId"] = Sync.AgentId;
        settings[$"WeCom:Corps:{Corp}:Apps:{SyncApp}:Token"] = Sync.Token;
        settings[$"WeCom:Corps:{Corp}:Apps:{SyncApp}:EncodingAesKey"] = Sync.EncodingAesKey;
    });
}

using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Followers;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// DOCTYPEs with an internal entity, a billion laughs and an external entity. In the unsigned WeCom envelope they are
/// refused with 400 "DTD is not allowed", nothing published. In signed content (the decrypted message, or a verified
/// plaintext Official Account post) they are published raw as UnrecognizedCallbackReceived: the text as it came,
/// no entity expanded or read.
/// </summary>
public class HostileXmlTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    public static readonly TheoryData<string> Doctypes = new() { "internal entity", "billion laughs", "external entity" };

    [Theory]
    [MemberData(nameof(Doctypes))]
    public async Task A_doctype_in_the_wecom_body_is_refused(string doctype)
    {
        var customer = GatewayHost.NewId();
        var encrypt = Hostile.Crypto.Encrypt(GatewayHost.Added(customer));
        var body = Dtd(doctype) + Hostile.Envelope(encrypt).Replace("1000002", "&x;");
        await AssertRefusedAsync(Hostile.WeComPost(encrypt, body), customer, encrypt);
    }

    [Theory]
    [MemberData(nameof(Doctypes))]
    public async Task A_doctype_inside_the_decrypted_wecom_message_is_published_raw(string doctype)
    {
        var customer = GatewayHost.NewId();
        var xml = Dtd(doctype) + GatewayHost.Added(customer).Replace("zhangsan", "&x;");
        await AssertPublishedRawAsync(() => host.Http.SendAsync(Hostile.WeComPost(Hostile.Crypto.Encrypt(xml))), "", customer, xml);
    }

    [Theory]
    [MemberData(nameof(Doctypes))]
    public async Task A_doctype_in_a_plaintext_official_account_post_is_published_raw(string doctype)
    {
        var openId = GatewayHost.NewId("o");
        var xml = Dtd(doctype) + Subscribe(GatewayHost.Plain.OriginalId, openId);
        await AssertPublishedRawAsync(
            () => host.SendAsync(host.Simulator.BuildOaPost(GatewayHost.Plain, xml, openId), GatewayHost.PlainUrl), "success", openId, xml);
    }

    [Theory]
    [MemberData(nameof(Doctypes))]
    public async Task A_doctype_inside_a_decrypted_safe_mode_post_is_published_raw(string doctype)
    {
        var openId = GatewayHost.NewId("o");
        var xml = Dtd(doctype) + Subscribe(GatewayHost.Safe.OriginalId, openId);
        await AssertPublishedRawAsync(
            () => host.SendAsync(host.Simulator.BuildOaPost(GatewayHost.Safe, xml, openId), GatewayHost.SafeUrl), "success", openId, xml);
    }

    /// <summary>Each DOCTYPE declares the entity x, which the documents use.</summary>
    internal static string Dtd(string doctype) => doctype switch
    {
        "internal entity" => "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x \"injected\">]>",
        "billion laughs" => "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY l0 \"lol\">" +
            string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">")) +
            "<!ENTITY x \"&l9;\">]>",
        "external entity" => "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
        _ => throw new ArgumentOutOfRangeException(nameof(doctype)),
    };

    private static string Subscribe(string ghId, string openId) =>
        $"<xml><ToUserName><![CDATA[{ghId}]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName>" +
        $"<CreateTime>{Hostile.Now()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>" +
        "<EventKey>&x;</EventKey></xml>";

    private async Task AssertPublishedRawAsync(Func<Task<HttpResponseMessage>> send, string answer, string token, string xml)
    {
        await using var queue = await EventQueue.OpenAsync(
            typeof(ExternalContactAdded), typeof(FollowerSubscribed), typeof(UnrecognizedCallbackReceived));
        using var response = await send();
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(answer, await response.Content.ReadAsStringAsync());

        var message = await queue.WaitForAsync(token);
        Assert.Equal(nameof(UnrecognizedCallbackReceived), message.Type);
        var body = System.Text.Json.JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal("DTD is not allowed", body.GetProperty("reason").GetString());
        Assert.Equal(xml, body.GetProperty("rawXml").GetString()); // as it came: nothing expanded, nothing read
        Assert.DoesNotContain("lollol", message.Body);
        Assert.DoesNotContain("root:", message.Body);
        Assert.Single(queue.With(token));
        foreach (var secret in new[] { token, "lollol", "injected" }) Assert.DoesNotContain(secret, host.Bridge.Logs.All);
    }

    private async Task AssertRefusedAsync(HttpRequestMessage request, string token, params string[] payload)
    {
        await using var queue = await EventQueue.OpenAsync(
            typeof(ExternalContactAdded), typeof(FollowerSubscribed), typeof(UnrecognizedCallbackReceived));

        var detail = await Hostile.AssertRefusedAsync(host.Http, request, 400, "DTD is not allowed");

        var sentinel = GatewayHost.NewId();
        await host.PostWeComAsync(GatewayHost.Added(sentinel));
        await queue.AssertNoneAsync(token, sentinel);
        Hostile.AssertLogged(host.Bridge.Logs, 400, detail, [token, "root:", "lollol", "injected", .. payload]);
    }
}

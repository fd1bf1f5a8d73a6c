using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Followers;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// DOCTYPEs with an internal entity, a billion laughs and an external entity, in the outer body and, properly
/// encrypted and signed, inside the decrypted message: refused with 400 "DTD is not allowed", nothing expanded,
/// read or published.
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
    public async Task A_doctype_inside_the_decrypted_wecom_message_is_refused(string doctype)
    {
        var customer = GatewayHost.NewId();
        var encrypt = Hostile.Crypto.Encrypt(Dtd(doctype) + GatewayHost.Added(customer).Replace("zhangsan", "&x;"));
        await AssertRefusedAsync(Hostile.WeComPost(encrypt), customer, encrypt);
    }

    [Theory]
    [MemberData(nameof(Doctypes))]
    public async Task A_doctype_in_a_plaintext_official_account_post_is_refused(string doctype)
    {
        var openId = GatewayHost.NewId("o");
        var xml = Dtd(doctype) + Subscribe(GatewayHost.Plain.OriginalId, openId);
        var request = host.Simulator.BuildOaPost(GatewayHost.Plain, xml, openId).ToHttpRequest(GatewayHost.PlainUrl);
        await AssertRefusedAsync(request, openId);
    }

    [Theory]
    [MemberData(nameof(Doctypes))]
    public async Task A_doctype_inside_a_decrypted_safe_mode_post_is_refused(string doctype)
    {
        var openId = GatewayHost.NewId("o");
        var xml = Dtd(doctype) + Subscribe(GatewayHost.Safe.OriginalId, openId);
        var built = host.Simulator.BuildOaPost(GatewayHost.Safe, xml, openId);
        var encrypt = System.Xml.Linq.XElement.Parse(built.Body!).Element("Encrypt")!.Value;
        await AssertRefusedAsync(built.ToHttpRequest(GatewayHost.SafeUrl), openId, encrypt);
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

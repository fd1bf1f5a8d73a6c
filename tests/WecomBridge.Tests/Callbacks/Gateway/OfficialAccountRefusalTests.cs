using System.Xml.Linq;
using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Followers;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// Hostile Official Account posts, plaintext and safe mode: 4xx problem, nothing published, only the reason logged.
/// (A verified plaintext body that is not XML is signed content: it is published raw, see SignedContentTests.)
/// </summary>
public class OfficialAccountRefusalTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Theory]
    [InlineData("unknown account", 404, "unknown account")]
    [InlineData("plaintext: missing timestamp", 400, "timestamp and nonce are required")]
    [InlineData("plaintext: missing signature", 403, "signature mismatch")]
    [InlineData("plaintext: wrong signature", 403, "signature mismatch")]
    [InlineData("plaintext: stale timestamp", 400, "timestamp outside the accepted window")]
    [InlineData("plaintext: encrypt_type=aes without a key", 400, "this account has no EncodingAesKey")]
    [InlineData("safe: wrong msg_signature", 403, "signature mismatch")]
    [InlineData("safe: another AppId", 400, "Encrypt does not decrypt (ReceiveIdMismatch)")]
    [InlineData("safe: missing Encrypt", 400, "no Encrypt element")]
    public async Task A_hostile_post_is_refused_publishes_nothing_and_logs_only_the_reason(string kind, int status, string? reason)
    {
        await using var queue = await EventQueue.OpenAsync(typeof(FollowerSubscribed), typeof(UnrecognizedCallbackReceived));
        var openId = GatewayHost.NewId("o");
        var safe = kind.StartsWith("safe", StringComparison.Ordinal);
        var app = safe ? GatewayHost.Safe : GatewayHost.Plain;
        var built = host.Simulator.BuildOaPost(app, OfficialAccountEvents.Subscribe(app.OriginalId, openId), openId);
        var encrypt = safe ? XElement.Parse(built.Body!).Element("Encrypt")!.Value : openId;

        var detail = await Hostile.AssertRefusedAsync(host.Http, Build(kind, built, encrypt, openId), status, reason);

        var sentinel = GatewayHost.NewId("o");
        await host.SendAsync(host.Simulator.BuildOaPost(GatewayHost.Plain, OfficialAccountEvents.Subscribe("gh_x", sentinel), sentinel), GatewayHost.PlainUrl);
        await queue.AssertNoneAsync(openId, sentinel);
        Hostile.AssertLogged(host.Bridge.Logs, status, detail, openId, encrypt);
    }

    private static HttpRequestMessage Build(string kind, CallbackRequest built, string encrypt, string openId)
    {
        var url = kind.StartsWith("safe", StringComparison.Ordinal) ? GatewayHost.SafeUrl : GatewayHost.PlainUrl;
        var query = built.Query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => (string?)Uri.UnescapeDataString(p[1]));
        var body = built.Body!;
        switch (kind)
        {
            case "unknown account": url = "/callbacks/oa/nobody"; break;
            case "plaintext: missing timestamp": query.Remove("timestamp"); break;
            case "plaintext: missing signature": query.Remove("signature"); break;
            case "plaintext: wrong signature": query["signature"] = new string('0', 40); break;
            case "plaintext: stale timestamp": query["timestamp"] = Hostile.Now(-3600); Resign(query, GatewayHost.Plain.Token); break;
            case "plaintext: encrypt_type=aes without a key": query["encrypt_type"] = "aes"; break;
            case "safe: wrong msg_signature": query["msg_signature"] = Hostile.Crypto.Sign(query["timestamp"]!, query["nonce"]!, encrypt); break;
            case "safe: another AppId": body = SafeBody(Sign(query, SafeCrypto().Encrypt(Subscribe(openId), receiveId: "wxsomeoneelse001"))); break;
            case "safe: missing Encrypt": body = "<xml><ToUserName><![CDATA[gh_safeaccount]]></ToUserName></xml>"; break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        return GatewayHost.RawPost(url, query.Select(q => (q.Key, q.Value)), body);
    }

    private static WecomBridge.Callbacks.Crypto.CallbackCrypto SafeCrypto() =>
        new(GatewayHost.Safe.Token, GatewayHost.Safe.EncodingAesKey!, GatewayHost.Safe.AppId);

    private static string Subscribe(string openId) => OfficialAccountEvents.Subscribe(GatewayHost.Safe.OriginalId, openId);

    private static void Resign(Dictionary<string, string?> query, string token) =>
        query["signature"] = WecomBridge.Callbacks.Crypto.CallbackCrypto.SignParts(token, query["timestamp"]!, query["nonce"]!);

    /// <summary>Signs msg_signature over the new Encrypt, so only the content is wrong.</summary>
    private static string Sign(Dictionary<string, string?> query, string encrypt)
    {
        query["msg_signature"] = SafeCrypto().Sign(query["timestamp"]!, query["nonce"]!, encrypt);
        return encrypt;
    }

    private static string SafeBody(string encrypt) =>
        $"<xml><ToUserName><![CDATA[gh_safeaccount]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";
}

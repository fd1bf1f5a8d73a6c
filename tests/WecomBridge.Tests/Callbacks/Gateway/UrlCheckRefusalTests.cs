using System.Text;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>Hostile URL checks (GET): 4xx problem and never an echo of anything.</summary>
public class UrlCheckRefusalTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Theory]
    [InlineData("missing echostr", 400, "msg_signature, timestamp, nonce and echostr are required")]
    [InlineData("wrong signature", 403, "signature mismatch")]
    [InlineData("stale timestamp", 400, "timestamp outside the accepted window")]
    [InlineData("echostr that does not decrypt", 400, "echostr does not decrypt (InvalidPadding)")]
    [InlineData("echostr for another corp", 400, "echostr does not decrypt (ReceiveIdMismatch)")]
    [InlineData("unknown corp", 404, "unknown corp or app")]
    public async Task A_hostile_wecom_url_check_is_refused(string kind, int status, string reason)
    {
        var echo = "echo" + Guid.NewGuid().ToString("N");
        var echostr = kind switch
        {
            "echostr that does not decrypt" => Hostile.AesEncrypt(Hostile.Pad32(Encoding.UTF8.GetBytes(echo)).Select(b => (byte)(b | 0x40)).ToArray()),
            "echostr for another corp" => Hostile.Crypto.Encrypt(echo, receiveId: "wwsomeoneelse0001"),
            _ => Hostile.Crypto.Encrypt(echo),
        };
        var timestamp = Hostile.Now(kind == "stale timestamp" ? -3600 : 0);
        var query = new Dictionary<string, string?>
        {
            ["msg_signature"] = kind == "wrong signature" ? new string('a', 40) : Hostile.Crypto.Sign(timestamp, "42", echostr),
            ["timestamp"] = timestamp, ["nonce"] = "42", ["echostr"] = kind == "missing echostr" ? null : echostr,
        };
        var url = kind == "unknown corp" ? $"/callbacks/wecom/nobody/{GatewayHost.App}" : GatewayHost.WeComUrl;
        var request = new HttpRequestMessage(HttpMethod.Get, GatewayHost.RawPost(url, query.Select(q => (q.Key, q.Value)), "").RequestUri);

        var detail = await Hostile.AssertRefusedAsync(host.Http, request, status, reason);

        Hostile.AssertLogged(host.Bridge.Logs, status, detail, echo, echostr);
    }

    [Theory]
    [InlineData("wrong signature", 403)]
    [InlineData("missing nonce", 400)]
    [InlineData("non-numeric timestamp", 400)]
    public async Task A_hostile_official_account_url_check_is_refused(string kind, int status)
    {
        var timestamp = kind == "non-numeric timestamp" ? "soon" : Hostile.Now();
        var signature = kind == "wrong signature" ? new string('b', 40)
            : WecomBridge.Callbacks.Crypto.CallbackCrypto.SignParts(GatewayHost.Plain.Token, timestamp, "7");
        var nonce = kind == "missing nonce" ? "" : "&nonce=7";
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"{GatewayHost.PlainUrl}?signature={signature}&timestamp={timestamp}{nonce}&echostr=echo-me-not");

        var detail = await Hostile.AssertRefusedAsync(host.Http, request, status);

        Hostile.AssertLogged(host.Bridge.Logs, status, detail, "echo-me-not");
    }
}

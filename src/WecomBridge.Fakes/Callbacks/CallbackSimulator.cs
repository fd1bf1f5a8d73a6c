using System.Security.Cryptography;
using System.Xml.Linq;
using WecomBridge.Callbacks.Crypto;

namespace WecomBridge.Fakes.Callbacks;

/// <summary>
/// Builds correctly signed (and encrypted) WeCom and Official Account callbacks and posts them to a gateway.
/// Build* methods return the request so a test can send it through any client; SendAsync posts it.
/// </summary>
public sealed class CallbackSimulator(HttpClient? http = null, TimeProvider? time = null)
{
    private readonly HttpClient _http = http ?? new HttpClient();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>WeCom GET URL check: msg_signature, timestamp, nonce and the encrypted echostr (answer: the plain echo).</summary>
    public CallbackRequest BuildWeComUrlCheck(WeComCallbackApp app, string echo, CallbackStamp? stamp = null)
    {
        var (timestamp, nonce) = Stamp(stamp);
        var crypto = new CallbackCrypto(app.Token, app.EncodingAesKey, app.CorpId);
        var echostr = crypto.Encrypt(echo, stamp?.Random);
        return new CallbackRequest(HttpMethod.Get, Query(
            ("msg_signature", crypto.Sign(timestamp, nonce, echostr)), ("timestamp", timestamp), ("nonce", nonce), ("echostr", echostr)), null);
    }

    /// <summary>WeCom POST: &lt;xml&gt;&lt;ToUserName/&gt;&lt;AgentID/&gt;&lt;Encrypt/&gt;&lt;/xml&gt; with msg_signature over the Encrypt.</summary>
    public CallbackRequest BuildWeComPost(WeComCallbackApp app, string xml, CallbackStamp? stamp = null)
    {
        var (timestamp, nonce) = Stamp(stamp);
        var crypto = new CallbackCrypto(app.Token, app.EncodingAesKey, app.CorpId);
        var encrypt = crypto.Encrypt(xml, stamp?.Random);
        var body = EventXml.Build(("ToUserName", app.CorpId), ("AgentID", app.AgentId), ("Encrypt", encrypt));
        return new CallbackRequest(HttpMethod.Post, Query(
            ("msg_signature", crypto.Sign(timestamp, nonce, encrypt)), ("timestamp", timestamp), ("nonce", nonce)), body);
    }

    /// <summary>OA GET check: signature over (token, timestamp, nonce); the answer must be echostr unchanged.</summary>
    public CallbackRequest BuildOaUrlCheck(OaCallbackApp app, string echostr, CallbackStamp? stamp = null)
    {
        var (timestamp, nonce) = Stamp(stamp);
        return new CallbackRequest(HttpMethod.Get, Query(
            ("signature", CallbackCrypto.SignParts(app.Token, timestamp, nonce)), ("timestamp", timestamp), ("nonce", nonce),
            ("echostr", echostr)), null);
    }

    /// <summary>OA POST in the app's mode: plaintext XML, compatible (fields + Encrypt) or safe (Encrypt only).</summary>
    public CallbackRequest BuildOaPost(OaCallbackApp app, string xml, string openId, CallbackStamp? stamp = null)
    {
        var (timestamp, nonce) = Stamp(stamp);
        var signature = CallbackCrypto.SignParts(app.Token, timestamp, nonce);
        if (app.Mode == OaEncryptionMode.Plaintext)
            return new CallbackRequest(HttpMethod.Post, Query(
                ("signature", signature), ("timestamp", timestamp), ("nonce", nonce), ("openid", openId)), xml);

        var key = app.EncodingAesKey ?? throw new ArgumentException("Compatible and safe modes need an EncodingAESKey.", nameof(app));
        var crypto = new CallbackCrypto(app.Token, key, app.AppId);
        var encrypt = crypto.Encrypt(xml, stamp?.Random);
        string body;
        if (app.Mode == OaEncryptionMode.Safe)
            body = EventXml.Build(("ToUserName", app.OriginalId), ("Encrypt", encrypt));
        else
        {
            var plain = XElement.Parse(xml);
            plain.Add(new XElement("Encrypt", new XCData(encrypt)));
            body = plain.ToString(SaveOptions.DisableFormatting);
        }
        return new CallbackRequest(HttpMethod.Post, Query(
            ("signature", signature), ("timestamp", timestamp), ("nonce", nonce), ("openid", openId),
            ("encrypt_type", "aes"), ("msg_signature", crypto.Sign(timestamp, nonce, encrypt))), body);
    }

    /// <summary>Sends a built callback to the gateway's callback URL and returns its status code and body.</summary>
    public async Task<CallbackResponse> SendAsync(string callbackUrl, CallbackRequest request, CancellationToken cancellationToken = default)
    {
        using var message = request.ToHttpRequest(callbackUrl);
        using var response = await _http.SendAsync(message, cancellationToken);
        return new CallbackResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private (string Timestamp, string Nonce) Stamp(CallbackStamp? stamp) => (
        stamp?.Timestamp ?? _time.GetUtcNow().ToUnixTimeSeconds().ToString(),
        stamp?.Nonce ?? RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString());

    private static string Query(params (string Name, string Value)[] parts) =>
        string.Join('&', parts.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
}

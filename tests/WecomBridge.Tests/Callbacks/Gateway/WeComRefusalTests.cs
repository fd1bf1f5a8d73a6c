using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// Unsigned, replayed and tampered WeCom callbacks: each gets its 4xx problem, publishes nothing (checked with a
/// later valid sentinel) and logs only the reason, never the XML or the Encrypt value. (A ciphertext tampered and then
/// signed with the app's token decrypts to garbage that is signed content: it is published raw, see SignedContentTests.)
/// </summary>
public class WeComRefusalTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Theory]
    [InlineData("missing msg_signature", 400, "msg_signature, timestamp and nonce are required")]
    [InlineData("missing timestamp", 400, "msg_signature, timestamp and nonce are required")]
    [InlineData("missing nonce", 400, "msg_signature, timestamp and nonce are required")]
    [InlineData("wrong signature", 403, "signature mismatch")]
    [InlineData("signature not hex", 403, "signature mismatch")]
    [InlineData("stale timestamp", 400, "timestamp outside the accepted window")]
    [InlineData("future timestamp", 400, "timestamp outside the accepted window")]
    [InlineData("non-numeric timestamp", 400, "timestamp is not a unix time")]
    [InlineData("tampered ciphertext", 403, "signature mismatch")]
    [InlineData("wrong receive id", 400, "Encrypt does not decrypt (ReceiveIdMismatch)")]
    [InlineData("invalid base64", 400, "Encrypt does not decrypt (InvalidBase64)")]
    [InlineData("bad padding", 400, "Encrypt does not decrypt (InvalidPadding)")]
    [InlineData("length field lies", 400, "Encrypt does not decrypt (InvalidMessageLength)")]
    [InlineData("missing Encrypt", 400, "no Encrypt element")]
    [InlineData("non-XML body", 400, "not well-formed XML")]
    [InlineData("unknown corp", 404, "unknown corp or app")]
    [InlineData("unknown app", 404, "unknown corp or app")]
    public async Task A_hostile_post_is_refused_publishes_nothing_and_logs_only_the_reason(string kind, int status, string? reason)
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded), typeof(UnrecognizedCallbackReceived));
        var customer = GatewayHost.NewId();
        var xml = GatewayHost.Added(customer);
        var (request, encrypt) = Build(kind, xml);

        var detail = await Hostile.AssertRefusedAsync(host.Http, request, status, reason);

        var sentinel = GatewayHost.NewId();
        await host.PostWeComAsync(GatewayHost.Added(sentinel));
        await queue.AssertNoneAsync(customer, sentinel);
        Hostile.AssertLogged(host.Bridge.Logs, status, detail, customer, encrypt);
    }

    internal static (HttpRequestMessage Request, string Encrypt) Build(string kind, string xml)
    {
        var valid = Hostile.Crypto.Encrypt(xml);
        string Raw(byte[] plaintext) => Hostile.AesEncrypt(plaintext);
        return kind switch
        {
            "missing msg_signature" => (Hostile.WeComPost(valid, tweak: q => q.Remove("msg_signature")), valid),
            "missing timestamp" => (Hostile.WeComPost(valid, tweak: q => q.Remove("timestamp")), valid),
            "missing nonce" => (Hostile.WeComPost(valid, tweak: q => q.Remove("nonce")), valid),
            "wrong signature" => (Hostile.WeComPost(valid, tweak: q => q["msg_signature"] = Hostile.Crypto.Sign(q["timestamp"]!, "1", valid)), valid),
            "signature not hex" => (Hostile.WeComPost(valid, tweak: q => q["msg_signature"] = new string('z', 40)), valid),
            "stale timestamp" => (Hostile.WeComPost(valid, tweak: Hostile.At(Hostile.Now(-3600), valid)), valid),
            "future timestamp" => (Hostile.WeComPost(valid, tweak: Hostile.At(Hostile.Now(3600), valid)), valid),
            "non-numeric timestamp" => (Hostile.WeComPost(valid, tweak: Hostile.At("14764227a9", valid)), valid),
            "tampered ciphertext" => (Hostile.WeComPost(Hostile.Tampered(valid), tweak: q => q["msg_signature"] = Hostile.Crypto.Sign(q["timestamp"]!, q["nonce"]!, valid)), valid),
            "wrong receive id" => Signed(Hostile.Crypto.Encrypt(xml, receiveId: "wwsomeoneelse0001")),
            "invalid base64" => Signed("!!!!" + valid[4..]),
            "bad padding" => Signed(Raw(BadPadding(Hostile.Content(xml)))),
            "length field lies" => Signed(Raw(Hostile.Pad32(Hostile.Content(xml, claimedLength: (uint)xml.Length * 4)))),
            "missing Encrypt" => (Hostile.WeComPost(valid, body: Hostile.Envelope(null) + "<!--" + xml + "-->"), valid),
            "non-XML body" => (Hostile.WeComPost(valid, body: "Encrypt=" + valid + "&xml=" + xml), valid),
            "unknown corp" => (Hostile.WeComPost(valid, url: $"/callbacks/wecom/nobody/{GatewayHost.App}"), valid),
            "unknown app" => (Hostile.WeComPost(valid, url: $"/callbacks/wecom/{GatewayHost.Corp}/nothing"), valid),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static (HttpRequestMessage, string) Signed(string encrypt) => (Hostile.WeComPost(encrypt), encrypt);

    /// <summary>Correctly laid out and encrypted, but the last byte says the pad is 64 (WeCom pads at most 32).</summary>
    private static byte[] BadPadding(byte[] content)
    {
        var plaintext = Hostile.Pad32(content);
        plaintext[^1] = 64;
        return plaintext;
    }
}

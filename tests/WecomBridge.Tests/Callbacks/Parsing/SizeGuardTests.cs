using System.Text;
using WecomBridge.Callbacks;
using WecomBridge.Callbacks.Crypto;
using WecomBridge.Callbacks.Parsing;
using WecomBridge.Contracts.Messages;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

/// <summary>The size guard sits above every body the endpoints may take, so it never refuses what they let through.</summary>
public class SizeGuardTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void A_1_MiB_body_and_the_message_it_carries_both_parse()
    {
        var crypto = new CallbackCrypto("hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "ww1436e0e65a779aee");
        var (body, xml) = LargestBodyUnder(MiB, crypto);

        var encrypt = CallbackXml.Parse(body)["Encrypt"]!;
        Assert.Equal(CryptoError.None, crypto.TryDecrypt(encrypt, out var plaintext));
        var message = Assert.IsType<WecomMessageReceived>(ParseWeCom(plaintext.ToArray()).Event);

        Assert.True(body.Length > MiB - 128, body.Length.ToString());
        Assert.True(plaintext.Length > 760 * 1024, plaintext.Length.ToString());
        Assert.Equal(xml, Encoding.UTF8.GetString(plaintext.Span));
        Assert.StartsWith("你好", message.Content);
    }

    [Fact]
    public void No_allowed_body_limit_is_above_the_size_guard()
    {
        var validator = new GatewayOptionsValidator();

        Assert.True(validator.Validate(null, new GatewayOptions { MaxBodyBytes = CallbackXml.MaxBytes + 1 }).Failed);
        Assert.True(validator.Validate(null, new GatewayOptions { MaxBodyBytes = MiB }).Succeeded);
    }

    [Fact]
    public void Signed_content_over_the_guard_is_still_published_raw()
    {
        var content = new byte[CallbackXml.MaxBytes + 1];
        Array.Fill(content, (byte)'x');

        Assert.Equal("document too large", Assert.IsType<WecomBridge.Contracts.Callbacks.UnrecognizedCallbackReceived>(ParseWeCom(content).Event).Reason);
    }

    /// <summary>A WeCom envelope of at most <paramref name="limit"/> bytes around a text message as large as fits.</summary>
    private static (byte[] Body, string Xml) LargestBodyUnder(int limit, CallbackCrypto crypto)
    {
        for (var length = limit * 3 / 4; ; length -= 16)
        {
            var xml = "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"
                + "<CreateTime>1476422779</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好"
                + new string('x', length) + "]]></Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";
            var body = Encoding.UTF8.GetBytes("<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID>"
                + $"<Encrypt><![CDATA[{crypto.Encrypt(xml)}]]></Encrypt></xml>");
            if (body.Length <= limit) return (body, xml);
        }
    }
}

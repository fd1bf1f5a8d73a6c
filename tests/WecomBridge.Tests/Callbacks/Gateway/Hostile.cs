using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WecomBridge.Callbacks.Crypto;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>Hand-built hostile WeCom callbacks for <see cref="GatewayHost"/>'s app, and what every refusal must show.</summary>
internal static class Hostile
{
    public static readonly CallbackCrypto Crypto = new(GatewayHost.WeCom.Token, GatewayHost.WeCom.EncodingAesKey, GatewayHost.CorpId);
    private static readonly byte[] Key = CallbackCrypto.DecodeAesKey(GatewayHost.WeCom.EncodingAesKey)!;

    public static string Now(int offsetSeconds = 0) => (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offsetSeconds).ToString();

    public static string Envelope(string? encrypt) =>
        $"<xml><ToUserName><![CDATA[{GatewayHost.CorpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID>" +
        (encrypt is null ? "" : $"<Encrypt><![CDATA[{encrypt}]]></Encrypt>") + "</xml>";

    /// <summary>
    /// A POST to the WeCom URL: correctly signed over <paramref name="encrypt"/> unless <paramref name="tweak"/>
    /// changes the query; the body is the usual envelope unless given.
    /// </summary>
    public static HttpRequestMessage WeComPost(
        string encrypt, string? body = null, Action<Dictionary<string, string?>>? tweak = null, string url = GatewayHost.WeComUrl)
    {
        var timestamp = Now();
        var nonce = Random.Shared.Next(100_000, int.MaxValue).ToString();
        var query = new Dictionary<string, string?>
        {
            ["msg_signature"] = Crypto.Sign(timestamp, nonce, encrypt), ["timestamp"] = timestamp, ["nonce"] = nonce,
        };
        tweak?.Invoke(query);
        return GatewayHost.RawPost(url, query.Select(q => (q.Key, q.Value)), body ?? Envelope(encrypt));
    }

    /// <summary>Signs the query over a timestamp of our choosing (the signature covers it).</summary>
    public static Action<Dictionary<string, string?>> At(string timestamp, string encrypt) => q =>
    {
        q["timestamp"] = timestamp;
        q["msg_signature"] = Crypto.Sign(timestamp, q["nonce"]!, encrypt);
    };

    /// <summary>16 random bytes ‖ uint32 BE length (claimed, or the true one) ‖ message ‖ receive id.</summary>
    public static byte[] Content(string message, uint? claimedLength = null, string receiveId = GatewayHost.CorpId)
    {
        var text = Encoding.UTF8.GetBytes(message);
        var receive = Encoding.UTF8.GetBytes(receiveId);
        var content = new byte[20 + text.Length + receive.Length];
        RandomNumberGenerator.Fill(content.AsSpan(0, 16));
        BinaryPrimitives.WriteUInt32BigEndian(content.AsSpan(16), claimedLength ?? (uint)text.Length);
        text.CopyTo(content, 20);
        receive.CopyTo(content, 20 + text.Length);
        return content;
    }

    /// <summary>PKCS#7 to a 32-byte multiple, as WeCom pads.</summary>
    public static byte[] Pad32(byte[] content)
    {
        var pad = 32 - content.Length % 32;
        var padded = new byte[content.Length + pad];
        content.CopyTo(padded, 0);
        padded.AsSpan(content.Length).Fill((byte)pad);
        return padded;
    }

    /// <summary>AES-256-CBC with IV = key[0..16) and no padding of its own, base64: any plaintext we like.</summary>
    public static string AesEncrypt(byte[] plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = Key;
        return Convert.ToBase64String(aes.EncryptCbc(plaintext, Key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>A valid ciphertext with bytes in its middle flipped: the AES content becomes garbage.</summary>
    public static string Tampered(string encrypt)
    {
        var bytes = Convert.FromBase64String(encrypt);
        for (var i = bytes.Length / 2 - 8; i < bytes.Length / 2 + 8; i++) bytes[i] ^= 0x5A;
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Sends and checks the refusal: status, problem+json, answered well within WeCom's 5 s (a loose bound: the 2 test cores are shared). Returns the problem's detail.</summary>
    public static async Task<string> AssertRefusedAsync(HttpClient http, HttpRequestMessage request, int status, string? reason = null)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var elapsed = watch.Elapsed;
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString()!;
        if (reason is not null) Assert.Contains(reason, detail);
        Assert.True(elapsed < TimeSpan.FromSeconds(4), $"refusal took {elapsed}");
        return detail;
    }

    /// <summary>The logs name the reason and never the payload.</summary>
    public static void AssertLogged(CapturedLogs logs, int status, string detail, params string[] payload)
    {
        if (status != (int)HttpStatusCode.NotFound) Assert.Contains($"refused with {status}: {detail}", logs.All);
        foreach (var secret in payload) Assert.DoesNotContain(secret, logs.All);
    }
}

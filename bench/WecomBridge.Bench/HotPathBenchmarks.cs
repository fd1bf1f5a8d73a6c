using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.WebUtilities;
using WecomBridge.Callbacks.Crypto;
using WecomBridge.Callbacks.Parsing;
using WecomBridge.Messaging;

namespace WecomBridge.Bench;

/// <summary>
/// The CPU work of one WeCom callback (add_external_contact), stage by stage and whole, as
/// WeComCallbacks.Receive does it. Serialize is System.Text.Json of the contract record with the
/// app's options (EventPublisher.Serialize).
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private CallbackCrypto _crypto = null!;
    private byte[] _body = null!;
    private string _signature = "", _timestamp = "", _nonce = "", _encrypt = "";
    private ReadOnlyMemory<byte> _plain;
    private object _event = null!;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    [GlobalSetup]
    public void Setup()
    {
        var callback = Fixtures.Callbacks(1, "micro")[0];
        var query = QueryHelpers.ParseQuery(callback.Query);
        (_signature, _timestamp, _nonce) = (query["msg_signature"]!, query["timestamp"]!, query["nonce"]!);
        _body = System.Text.Encoding.UTF8.GetBytes(callback.Body!);
        _crypto = new CallbackCrypto(Fixtures.Token, Fixtures.EncodingAesKey, Fixtures.CorpId);
        _encrypt = CallbackXml.Parse(_body)["Encrypt"]!;
        if (_crypto.TryDecrypt(_encrypt, out _plain) != CryptoError.None) throw new InvalidOperationException("fixture does not decrypt");
        _event = WeComCallbackParser.Parse(_plain, Fixtures.Corp, Fixtures.App, Fixtures.CorpId, _now).Event;
    }

    [Benchmark(Description = "envelope XML (Encrypt)")]
    public string? Envelope() => CallbackXml.Parse(_body)["Encrypt"];

    [Benchmark(Description = "signature verify")]
    public bool Verify() => _crypto.Verify(_signature, _timestamp, _nonce, _encrypt);

    [Benchmark(Description = "decrypt (TryDecrypt)")]
    public int Decrypt() => (int)_crypto.TryDecrypt(_encrypt, out _);

    [Benchmark(Description = "parse + normalize")]
    public object Parse() => WeComCallbackParser.Parse(_plain, Fixtures.Corp, Fixtures.App, Fixtures.CorpId, _now);

    [Benchmark(Description = "serialize (System.Text.Json)")]
    public byte[] Serialize() => EventJson.Serialize(_event);

    [Benchmark(Description = "whole: envelope+verify+decrypt+parse")]
    public object Whole()
    {
        var encrypt = CallbackXml.Parse(_body)["Encrypt"]!;
        if (!_crypto.Verify(_signature, _timestamp, _nonce, encrypt)) throw new InvalidOperationException("signature");
        if (_crypto.TryDecrypt(encrypt, out var plain) != CryptoError.None) throw new InvalidOperationException("decrypt");
        return WeComCallbackParser.Parse(plain, Fixtures.Corp, Fixtures.App, Fixtures.CorpId, _now);
    }
}

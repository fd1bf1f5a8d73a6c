using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WecomBridge.Callbacks.Crypto;

/// <summary>
/// The WeCom / Official Account callback scheme (docs/wecom-protocol.md §1–2): SHA1 signature over the
/// ordinal-sorted parts, AES-256-CBC with IV = key[0..16), PKCS#7 padding to 32-byte blocks, and a
/// plaintext of 16 random bytes ‖ uint32 BE length ‖ message ‖ receive id.
/// Compiled into the app and, as linked source, into WecomBridge.Fakes (the callback simulator).
/// Thread-safe: the AES one-shot calls keep no state between calls.
/// </summary>
internal sealed class CallbackCrypto
{
    private const int Block = 32;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly string _token;
    private readonly byte[] _receiveId;
    private readonly byte[] _iv;
    private readonly Aes _aes;

    public CallbackCrypto(string token, string encodingAesKey, string receiveId)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(receiveId);
        var key = DecodeAesKey(encodingAesKey)
            ?? throw new ArgumentException("EncodingAESKey must be 43 characters of [a-zA-Z0-9].", nameof(encodingAesKey));
        _token = token;
        _receiveId = Encoding.UTF8.GetBytes(receiveId);
        _iv = key[..16];
        _aes = Aes.Create();
        _aes.Key = key;
    }

    public string Token => _token;

    /// <summary>Base64Decode(key + "="): 32 bytes, or null when the key is not 43 chars of [a-zA-Z0-9].</summary>
    public static byte[]? DecodeAesKey(string? encodingAesKey)
    {
        if (encodingAesKey is not { Length: 43 } || !encodingAesKey.All(char.IsAsciiLetterOrDigit))
            return null;
        Span<byte> key = stackalloc byte[33];
        return Convert.TryFromBase64String(encodingAesKey + "=", key, out var written) && written == 32
            ? key[..32].ToArray()
            : null;
    }

    /// <summary>msg_signature: hex(SHA1(sorted(token, timestamp, nonce, encrypt))), lowercase.</summary>
    public string Sign(string timestamp, string nonce, string encrypt) => SignParts(_token, timestamp, nonce, encrypt);

    /// <summary>Constant-time check of a msg_signature (hex, any case).</summary>
    public bool Verify(string? signature, string timestamp, string nonce, string encrypt) =>
        VerifyParts(signature, _token, timestamp, nonce, encrypt);

    /// <summary>The Official Account plaintext-mode signature: SHA1 over sorted (token, timestamp, nonce).</summary>
    public static string SignParts(params string[] parts)
    {
        Span<byte> hash = stackalloc byte[20];
        HashSorted(parts, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static bool VerifyParts(string? signature, params string[] parts)
    {
        if (signature is not { Length: 40 }) return false;
        Span<byte> given = stackalloc byte[20];
        if (Convert.FromHexString(signature, given, out _, out var written) != OperationStatus.Done || written != 20)
            return false;
        Span<byte> expected = stackalloc byte[20];
        HashSorted(parts, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static void HashSorted(string[] parts, Span<byte> hash)
    {
        Array.Sort(parts, StringComparer.Ordinal);
        var length = 0;
        foreach (var part in parts) length += Encoding.UTF8.GetByteCount(part);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var at = 0;
            foreach (var part in parts) at += Encoding.UTF8.GetBytes(part, buffer.AsSpan(at));
            SHA1.HashData(buffer.AsSpan(0, at), hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Encrypts a message; <paramref name="random"/> (16 bytes) is for reproducible tests only.</summary>
    public string Encrypt(string message, ReadOnlySpan<byte> random = default, string? receiveId = null)
    {
        var receive = receiveId is null ? _receiveId : Encoding.UTF8.GetBytes(receiveId);
        var messageLength = Encoding.UTF8.GetByteCount(message);
        var contentLength = 16 + 4 + messageLength + receive.Length;
        var pad = Block - contentLength % Block;
        var plain = new byte[contentLength + pad];
        if (random.Length == 16) random.CopyTo(plain);
        else RandomNumberGenerator.Fill(plain.AsSpan(0, 16));
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16), (uint)messageLength);
        Encoding.UTF8.GetBytes(message, plain.AsSpan(20));
        receive.CopyTo(plain.AsSpan(20 + messageLength));
        plain.AsSpan(contentLength).Fill((byte)pad);
        return Convert.ToBase64String(_aes.EncryptCbc(plain, _iv, PaddingMode.None));
    }

    /// <summary>Decrypts an Encrypt value and checks padding, length and receive id.</summary>
    public CryptoError TryDecrypt(ReadOnlySpan<char> encrypt, out ReadOnlyMemory<byte> message)
    {
        message = default;
        var maxBytes = encrypt.Length / 4 * 3;
        if (maxBytes < Block || encrypt.Length % 4 != 0) return CryptoError.InvalidBase64;
        var buffer = new byte[maxBytes];
        if (!Convert.TryFromBase64Chars(encrypt, buffer, out var cipherLength)) return CryptoError.InvalidBase64;
        if (cipherLength < Block || cipherLength % 16 != 0) return CryptoError.InvalidLength;

        int plainLength;
        try
        {
            plainLength = _aes.DecryptCbc(buffer.AsSpan(0, cipherLength), _iv, buffer, PaddingMode.None);
        }
        catch (CryptographicException)
        {
            return CryptoError.InvalidLength;
        }

        var plain = buffer.AsSpan(0, plainLength);
        int pad = plain[^1];
        if (pad is < 1 or > Block || pad > plainLength - 20) return CryptoError.InvalidPadding;
        foreach (var b in plain[^pad..])
            if (b != pad) return CryptoError.InvalidPadding;

        var content = plain[..^pad];
        var length = BinaryPrimitives.ReadUInt32BigEndian(content[16..]);
        if (length > (uint)(content.Length - 20)) return CryptoError.InvalidMessageLength;
        var receive = content[(20 + (int)length)..];
        if (!receive.SequenceEqual(_receiveId)) return CryptoError.ReceiveIdMismatch;
        message = buffer.AsMemory(20, (int)length);
        return CryptoError.None;
    }

    /// <summary>Decrypts to a string; throws <see cref="CallbackCryptoException"/> on any error.</summary>
    public string Decrypt(string encrypt)
    {
        var error = TryDecrypt(encrypt, out var message);
        if (error != CryptoError.None) throw new CallbackCryptoException(error);
        try
        {
            return StrictUtf8.GetString(message.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new CallbackCryptoException(CryptoError.InvalidUtf8);
        }
    }
}

internal enum CryptoError
{
    None,
    InvalidBase64,
    InvalidLength,
    InvalidPadding,
    InvalidMessageLength,
    ReceiveIdMismatch,
    InvalidUtf8,
}

internal sealed class CallbackCryptoException(CryptoError error) : Exception($"Callback decryption failed: {error}.")
{
    public CryptoError Error { get; } = error;
}

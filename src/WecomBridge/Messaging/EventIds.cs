using System.Security.Cryptography;
using System.Text;

namespace WecomBridge.Messaging;

/// <summary>
/// The EventId of every published event: derived from a key that names the event (a callback's dedupe key, a send's
/// message id and outcome), so that a repeat of the same event always carries the same id and consumers can drop it.
/// </summary>
internal static class EventIds
{
    /// <summary>Lowercase hex of the first 16 bytes of SHA-256(UTF-8 key): 32 characters.</summary>
    public static string Of(string key)
    {
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(key, buffer);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer[..written], hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}

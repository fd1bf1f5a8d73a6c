using System.Security.Cryptography;
using System.Text;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>Dedupe keys and the EventId derived from them (wecom-facts.md §1).</summary>
internal static class CallbackKeys
{
    /// <summary>Lowercase hex of the first 16 bytes of SHA-256(UTF-8 key): 32 characters.</summary>
    public static string EventIdOf(string dedupeKey)
    {
        var length = Encoding.UTF8.GetMaxByteCount(dedupeKey.Length);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(dedupeKey, buffer);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer[..written], hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>The key of a callback we do not map: <c>{prefix}raw:</c> + hex SHA-256 of the whole plaintext.</summary>
    public static string Raw(string prefix, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(plaintext, hash);
        return string.Concat(prefix, "raw:", Convert.ToHexStringLower(hash));
    }

    /// <summary>
    /// prefix + parts joined by ':'. A null part inside stays empty (positions never shift); trailing
    /// null parts are left out, so optional parts go last.
    /// </summary>
    public static string Join(string prefix, params ReadOnlySpan<string?> parts)
    {
        var count = parts.Length;
        while (count > 0 && parts[count - 1] is null) count--;
        var builder = new StringBuilder(prefix, 128);
        for (var i = 0; i < count; i++)
        {
            if (i > 0) builder.Append(':');
            builder.Append(parts[i]);
        }
        return builder.ToString();
    }
}

using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// Dedupe keys and the EventId derived from them (contracts/README.md, "EventId and deduplication"). A key depends
/// only on the source's prefix and the decrypted content, never on whether the callback maps to a record, so every
/// delivery of one callback gets one key, and a later version that maps it keeps its id.
/// </summary>
internal static class CallbackKeys
{
    /// <summary>The key of content that does not read as callback XML: <c>{prefix}raw:</c> + hex SHA-256 of its bytes.</summary>
    public static string Raw(string prefix, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(plaintext, hash);
        return string.Concat(prefix, "raw:", Convert.ToHexStringLower(hash));
    }

    /// <summary>
    /// <c>{prefix}xml:</c> + hex SHA-256 over every field in document order, each as UTF-8 path, NUL, value, NUL
    /// (XML text holds no NUL, so the list reads back one way only). Formatting (CDATA or not, whitespace between
    /// elements, declaration, BOM) does not count. <paramref name="skipped"/> names a top-level field left out.
    /// </summary>
    public static string Content(string prefix, CallbackXml xml, string? skipped = null)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            foreach (var (path, value) in xml.Fields)
            {
                if (skipped is not null && string.Equals(path, skipped, StringComparison.Ordinal)) continue;
                Append(sha, path, ref buffer);
                Append(sha, value, ref buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Span<byte> hash = stackalloc byte[32];
        sha.GetHashAndReset(hash);
        return string.Concat(prefix, "xml:", Convert.ToHexStringLower(hash));
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

    private static void Append(IncrementalHash sha, string text, ref byte[] buffer)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
        if (needed > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(needed);
        }
        var written = Encoding.UTF8.GetBytes(text, buffer);
        buffer[written] = 0;
        sha.AppendData(buffer, 0, written + 1);
    }
}

using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using System.Xml;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// A callback XML document read safely: an <c>&lt;xml&gt;</c> root whose content becomes (path, text) pairs in
/// document order: leaf elements (<c>MsgType</c>, <c>MemChangeList/Item</c>, repeated), attributes
/// (<c>A/@name</c>) and the text of an element that also has children. No DTD, no resolver. The limits are
/// resource guards, far above anything Tencent sends. Used for the POST body and the decrypted message.
/// </summary>
internal sealed class CallbackXml
{
    /// <summary>The size guard: at least the largest Gateway:MaxBodyBytes allowed, so a body the endpoint took always fits.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>The nesting guard (WeCom approval events nest 5 deep).</summary>
    public const int MaxDepth = 64;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        ConformanceLevel = ConformanceLevel.Document,
    };

    private readonly List<KeyValuePair<string, string>> _fields;

    private CallbackXml(List<KeyValuePair<string, string>> fields) => _fields = fields;

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>The first value at <paramref name="path"/>, or null when absent.</summary>
    public string? this[string path]
    {
        get
        {
            foreach (var field in _fields)
                if (string.Equals(field.Key, path, StringComparison.Ordinal))
                    return field.Value;
            return null;
        }
    }

    /// <summary>Every value at <paramref name="path"/>, in document order.</summary>
    public List<string> All(string path)
    {
        var values = new List<string>();
        foreach (var field in _fields)
            if (string.Equals(field.Key, path, StringComparison.Ordinal))
                values.Add(field.Value);
        return values;
    }

    /// <summary>
    /// Reads UTF-8 XML, or throws <see cref="CallbackFormatException"/> with a short reason. Array-backed memory
    /// is read in place (no copy, buffers sized to the input).
    /// </summary>
    public static CallbackXml Parse(ReadOnlyMemory<byte> utf8)
    {
        var span = utf8.Span;
        if (span.IsEmpty) throw new CallbackFormatException("empty document");
        if (span.Length > MaxBytes) throw new CallbackFormatException("document too large");
        if (!Utf8.IsValid(span)) throw new CallbackFormatException("invalid UTF-8");
        if (span.IndexOfAnyExcept(" \t\r\n"u8) < 0) throw new CallbackFormatException("empty document");
        var stream = MemoryMarshal.TryGetArray(utf8, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(utf8.ToArray(), writable: false);
        try
        {
            return new CallbackXml(CallbackXmlReader.Read(stream, Settings));
        }
        catch (XmlException)
        {
            throw new CallbackFormatException(HasDtd(span) ? "DTD is not allowed" : "not well-formed XML");
        }
    }

    /// <summary>
    /// A whole callback as text for UnrecognizedCallbackReceived, without its BOM and with nothing parsed
    /// (entities stay as written). Invalid UTF-8 sequences become U+FFFD: keep the bytes too when that matters.
    /// </summary>
    public static string TextOf(ReadOnlySpan<byte> utf8) =>
        Encoding.UTF8.GetString(utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8);

    // Only on the error path: a DOCTYPE must come before the root element.
    private static bool HasDtd(ReadOnlySpan<byte> utf8)
    {
        var doctype = utf8.IndexOf("<!DOCTYPE"u8);
        if (doctype < 0) return false;
        var root = utf8.IndexOf("<xml"u8);
        return root < 0 || doctype < root;
    }
}

using System.Text;
using System.Xml;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// A callback XML document read safely: an <c>&lt;xml&gt;</c> root whose leaf elements become
/// (path, text) pairs in document order, e.g. <c>MsgType</c> or <c>MemChangeList/Item</c> (repeated).
/// No DTD, no resolver, bounded size and depth. Used for the POST body and the decrypted message.
/// </summary>
internal sealed class CallbackXml
{
    public const int MaxBytes = 256 * 1024;
    public const int MaxDepth = 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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

    private CallbackXml(string text, List<KeyValuePair<string, string>> fields)
    {
        Text = text;
        _fields = fields;
    }

    /// <summary>The whole document as text (for unrecognized callbacks).</summary>
    public string Text { get; }

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

    public static CallbackXml Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) throw new CallbackFormatException("empty document");
        if (utf8.Length > MaxBytes) throw new CallbackFormatException("document too large");
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new CallbackFormatException("invalid UTF-8");
        }
        return Parse(text);
    }

    public static CallbackXml Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new CallbackFormatException("empty document");
        if (text.Length > MaxBytes) throw new CallbackFormatException("document too large");
        try
        {
            return new CallbackXml(text, CallbackXmlReader.Read(text, Settings));
        }
        catch (XmlException)
        {
            throw new CallbackFormatException(HasDtd(text) ? "DTD is not allowed" : "not well-formed XML");
        }
    }

    // Only on the error path: a DOCTYPE must come before the root element.
    private static bool HasDtd(string text)
    {
        var doctype = text.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (doctype < 0) return false;
        var root = text.IndexOf("<xml", StringComparison.Ordinal);
        return root < 0 || doctype < root;
    }
}

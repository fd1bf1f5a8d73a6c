using System.Text.Unicode;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// What both parsers share about signed content (verified, and decrypted with the right receive id): it is never
/// refused. Content that does not read as XML is kept raw; a missing MsgType or CreateTime, like any field a record
/// needs, makes it unrecognized rather than refused.
/// </summary>
internal static class SignedContent
{
    /// <summary>The content as callback XML, or null with the short reason it does not read as one.</summary>
    public static CallbackXml? TryRead(ReadOnlyMemory<byte> content, out string reason)
    {
        try
        {
            reason = "";
            return CallbackXml.Parse(content);
        }
        catch (CallbackFormatException e)
        {
            reason = e.Message;
            return null;
        }
    }

    /// <summary>The MsgType of a callback that has what every record needs, a MsgType and a valid CreateTime.</summary>
    public static string MsgTypeOf(CallbackXml xml)
    {
        var msgType = xml.Optional("MsgType") ?? throw new UnmappedCallbackException("missing MsgType");
        if (xml.CreateTime() is null)
            throw new UnmappedCallbackException(xml.Optional("CreateTime") is null ? "missing CreateTime" : "invalid CreateTime");
        return msgType;
    }

    /// <summary>
    /// Why a record could not be built: the mapper's reason, or, for a fault of the mapper itself, its exception
    /// type (a mapping bug must not cost the event: an unanswered or refused callback is gone). Null for what no
    /// code should catch.
    /// </summary>
    public static string? ReasonOf(Exception e) => e switch
    {
        OutOfMemoryException => null,
        UnmappedCallbackException unmapped => unmapped.Message,
        _ => $"not mapped ({e.GetType().Name})",
    };

    /// <summary>The whole content as text, and its exact bytes as base64 when it is not valid UTF-8.</summary>
    public static RawContent Raw(ReadOnlySpan<byte> content) =>
        new(CallbackXml.TextOf(content), Utf8.IsValid(content) ? null : Convert.ToBase64String(content));
}

/// <summary>A callback's content for UnrecognizedCallbackReceived.rawXml and .rawBase64.</summary>
internal readonly record struct RawContent(string Text, string? Base64);

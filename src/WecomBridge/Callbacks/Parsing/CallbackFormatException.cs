namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// A document that <see cref="CallbackXml.Parse"/> cannot read (not XML, DTD, wrong root, invalid UTF-8, over a
/// resource guard). The callback parsers never let it out: signed content they cannot read is published raw. So
/// the endpoints see it only from the unsigned envelope they read themselves, which they refuse with 400.
/// The message is a short fixed reason, never payload text.
/// </summary>
internal sealed class CallbackFormatException(string reason) : FormatException(reason);

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// A callback body or decrypted callback that is not the XML we accept (not XML, DTD, wrong root,
/// too large, missing MsgType/CreateTime). The message is a short fixed reason, never payload text.
/// </summary>
internal sealed class CallbackFormatException(string reason) : FormatException(reason);

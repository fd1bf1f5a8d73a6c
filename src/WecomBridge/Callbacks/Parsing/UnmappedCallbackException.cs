namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// A callback we cannot map to its contract (unknown Event/ChangeType/MsgType, a missing field or a bad
/// value). The parsers catch it and publish UnrecognizedCallbackReceived instead: nothing is lost.
/// The message is a short reason such as "missing UserID", never payload text.
/// </summary>
internal sealed class UnmappedCallbackException(string reason) : Exception(reason);

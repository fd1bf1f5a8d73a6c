using WecomBridge.Contracts.Callbacks;
using WecomBridge.Messaging;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// Turns an Official Account callback (the verified plaintext body, or the decrypted message) into its contract
/// record. It never refuses that content: whatever it cannot map, or even read as XML, becomes
/// <see cref="UnrecognizedCallbackReceived"/> carrying the raw text, so the endpoint publishes it.
/// </summary>
internal static class OfficialAccountCallbackParser
{
    public static ParsedCallback Parse(ReadOnlyMemory<byte> xmlUtf8, string account, string appId, DateTimeOffset receivedAt)
    {
        var prefix = string.Concat("oa:", account, ":");
        var xml = SignedContent.TryRead(xmlUtf8, out var unreadable);
        var key = xml is null ? CallbackKeys.Raw(prefix, xmlUtf8.Span) : Key(xml, prefix);
        var eventId = EventIds.Of(key);
        var occurredAt = xml?.CreateTime() ?? receivedAt;
        string reason;
        if (xml is null) reason = unreadable;
        else
        {
            try
            {
                var msgType = SignedContent.MsgTypeOf(xml);
                var source = new OfficialAccountSource(eventId, account, appId, xml["ToUserName"] ?? "", occurredAt, receivedAt);
                var mapped = msgType == "event" ? FollowerEvents.Map(xml, source) : FollowerMessages.Map(xml, msgType, source);
                return new ParsedCallback(mapped, eventId, key);
            }
            catch (Exception e) when (SignedContent.ReasonOf(e) is { } unmapped)
            {
                reason = unmapped;
            }
        }

        var raw = SignedContent.Raw(xmlUtf8.Span);
        var unrecognized = new UnrecognizedCallbackReceived(
            eventId, "oa", null, null, null, account, appId, occurredAt, receivedAt,
            xml?.Optional("MsgType"), xml?.Optional("Event"), null, reason, raw.Text, raw.Base64);
        return new ParsedCallback(unrecognized, eventId, key);
    }

    /// <summary>A follower's message: its MsgId. Anything else (events, job reports included) is keyed on its content.</summary>
    private static string Key(CallbackXml xml, string prefix) =>
        xml.Optional("MsgType") is { } type && type != "event" && xml.Optional("MsgId") is { } msgId
            ? CallbackKeys.Join(prefix, "msg", msgId)
            : CallbackKeys.Content(prefix, xml);
}

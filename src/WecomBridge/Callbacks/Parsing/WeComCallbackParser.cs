using WecomBridge.Contracts.Callbacks;
using WecomBridge.Messaging;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// Turns a decrypted WeCom callback (signature verified, receive id checked) into its contract record. It never
/// refuses signed content: whatever it cannot map, or even read as XML, becomes
/// <see cref="UnrecognizedCallbackReceived"/> carrying the raw text, so the endpoint publishes it.
/// </summary>
internal static class WeComCallbackParser
{
    public static ParsedCallback Parse(
        ReadOnlyMemory<byte> decryptedXml, string corp, string app, string corpId, DateTimeOffset receivedAt)
    {
        // Keyed on the corp, not the app: WeCom pushes one change to every app of the corp that subscribed to it.
        var prefix = string.Concat("wecom:", corp, ":");
        var xml = SignedContent.TryRead(decryptedXml, out var unreadable);
        var key = xml is null ? CallbackKeys.Raw(prefix, decryptedXml.Span) : Key(xml, prefix);
        var eventId = EventIds.Of(key);
        var occurredAt = xml?.CreateTime() ?? receivedAt;
        string reason;
        if (xml is null) reason = unreadable;
        else
        {
            try
            {
                var source = new WeComSource(eventId, corp, app, corpId, occurredAt, receivedAt);
                return new ParsedCallback(Map(xml, SignedContent.MsgTypeOf(xml), source), eventId, key);
            }
            catch (Exception e) when (SignedContent.ReasonOf(e) is { } unmapped)
            {
                reason = unmapped;
            }
        }

        var raw = SignedContent.Raw(decryptedXml.Span);
        var unrecognized = new UnrecognizedCallbackReceived(
            eventId, "wecom", corp, app, corpId, null, null, occurredAt, receivedAt,
            xml?.Optional("MsgType"), xml?.Optional("Event"), xml?.Optional("ChangeType"), reason, raw.Text, raw.Base64);
        return new ParsedCallback(unrecognized, eventId, key);
    }

    private static object Map(CallbackXml xml, string msgType, in WeComSource source) =>
        msgType != "event"
            ? WeComMessages.Map(xml, msgType, source)
            : xml["Event"] switch
            {
                "change_external_contact" => ExternalContactEvents.Map(xml, source),
                "change_external_chat" => GroupChatEvents.Map(xml, source),
                "change_external_tag" => CorpTagEvents.Map(xml, source),
                "change_contact" => DirectoryEvents.Map(xml, source),
                _ => throw new UnmappedCallbackException("unknown Event"),
            };

    /// <summary>
    /// A message goes to one app: its MsgId (with the AgentID, should ids of two apps ever meet). Anything else is
    /// keyed on its content. Events from <c>sys</c> (contact, customer, chat, tag and other corp-wide changes) are
    /// pushed to every app subscribed to them, identical but for AgentID, which is left out so that they give one
    /// key; events a member triggers in one app (enter_agent, click…) keep it, so two apps' events stay apart.
    /// </summary>
    private static string Key(CallbackXml xml, string prefix)
    {
        if (xml.Optional("MsgType") is { } type && type != "event" && xml.Optional("MsgId") is { } msgId)
            return CallbackKeys.Join(prefix, "msg", xml["AgentID"] ?? "", msgId);
        return CallbackKeys.Content(prefix, xml, xml["FromUserName"] == "sys" ? "AgentID" : null);
    }
}

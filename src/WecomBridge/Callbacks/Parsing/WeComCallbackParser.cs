using System.Globalization;
using WecomBridge.Contracts.Callbacks;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// Turns a decrypted WeCom callback into its contract record (wecom-facts.md §3). Unknown or incomplete
/// callbacks become <see cref="UnrecognizedCallbackReceived"/>; only structural problems throw
/// <see cref="CallbackFormatException"/>.
/// </summary>
internal static class WeComCallbackParser
{
    public static ParsedCallback Parse(
        ReadOnlyMemory<byte> decryptedXml, string corp, string app, string corpId, DateTimeOffset receivedAt)
    {
        var xml = CallbackXml.Parse(decryptedXml);
        var msgType = xml["MsgType"] is { Length: > 0 } type ? type : throw new CallbackFormatException("missing MsgType");
        var occurredAt = xml.CreateTime();
        var prefix = string.Concat("wecom:", corp, ":", app, ":");
        try
        {
            var key = NaturalKey(xml, msgType, prefix, occurredAt);
            var source = new WeComSource(CallbackKeys.EventIdOf(key), corp, app, corpId, occurredAt, receivedAt);
            return new ParsedCallback(Map(xml, msgType, source), source.EventId, key);
        }
        catch (UnmappedCallbackException unmapped)
        {
            var key = CallbackKeys.Raw(prefix, decryptedXml.Span);
            var eventId = CallbackKeys.EventIdOf(key);
            var unrecognized = new UnrecognizedCallbackReceived(
                eventId, "wecom", corp, app, corpId, null, null, occurredAt, receivedAt,
                msgType, xml.Optional("Event"), xml.Optional("ChangeType"), unmapped.Message, CallbackXml.TextOf(decryptedXml.Span));
            return new ParsedCallback(unrecognized, eventId, key);
        }
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

    // wecom-facts.md §1: FromUserName is always "sys" for change_* events, so key on what changed.
    private static string NaturalKey(CallbackXml xml, string msgType, string prefix, DateTimeOffset occurredAt)
    {
        if (msgType != "event") return CallbackKeys.Join(prefix, "msg", xml.Required("MsgId"));
        var time = occurredAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var name = xml["Event"];
        return name switch
        {
            "change_external_contact" => CallbackKeys.Join(prefix, name, xml["ChangeType"], xml["UserID"], xml["ExternalUserID"], time),
            "change_external_chat" => CallbackKeys.Join(prefix, name, xml["ChangeType"], xml["ChatId"], time, xml["UpdateDetail"], xml["CurMemVer"]),
            "change_external_tag" => CallbackKeys.Join(prefix, name, xml["ChangeType"], xml["Id"], time, xml["StrategyId"]),
            "change_contact" => CallbackKeys.Join(prefix, name, xml["ChangeType"], xml["UserID"] ?? xml["Id"] ?? xml["TagId"], time),
            _ => throw new UnmappedCallbackException("unknown Event"),
        };
    }
}

using System.Globalization;
using WecomBridge.Contracts.Callbacks;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// Turns an Official Account callback (plaintext or decrypted) into its contract record
/// (wecom-facts.md §4). Unknown or incomplete callbacks become <see cref="UnrecognizedCallbackReceived"/>;
/// only structural problems throw <see cref="CallbackFormatException"/>.
/// </summary>
internal static class OfficialAccountCallbackParser
{
    public static ParsedCallback Parse(ReadOnlyMemory<byte> xmlUtf8, string account, string appId, DateTimeOffset receivedAt)
    {
        var xml = CallbackXml.Parse(xmlUtf8);
        var msgType = xml["MsgType"] is { Length: > 0 } type ? type : throw new CallbackFormatException("missing MsgType");
        var occurredAt = xml.CreateTime();
        var prefix = string.Concat("oa:", account, ":");
        try
        {
            var key = NaturalKey(xml, msgType, prefix, occurredAt);
            var source = new OfficialAccountSource(
                CallbackKeys.EventIdOf(key), account, appId, xml["ToUserName"] ?? "", occurredAt, receivedAt);
            var mapped = msgType == "event" ? FollowerEvents.Map(xml, source) : FollowerMessages.Map(xml, msgType, source);
            return new ParsedCallback(mapped, source.EventId, key);
        }
        catch (UnmappedCallbackException unmapped)
        {
            var key = CallbackKeys.Raw(prefix, xmlUtf8.Span);
            var eventId = CallbackKeys.EventIdOf(key);
            var unrecognized = new UnrecognizedCallbackReceived(
                eventId, "oa", null, null, null, account, appId, occurredAt, receivedAt,
                msgType, xml.Optional("Event"), null, unmapped.Message, CallbackXml.TextOf(xmlUtf8.Span));
            return new ParsedCallback(unrecognized, eventId, key);
        }
    }

    // wecom-facts.md §1/§4: MsgId for messages; FromUserName+CreateTime+Event for events, plus MsgID
    // (two job reports for one follower can share a second) and EventKey last (a URL may hold ':').
    private static string NaturalKey(CallbackXml xml, string msgType, string prefix, DateTimeOffset occurredAt)
    {
        if (msgType != "event") return CallbackKeys.Join(prefix, "msg", xml.Required("MsgId"));
        var time = occurredAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return CallbackKeys.Join(prefix, xml["FromUserName"], time, xml.Required("Event"), xml["MsgID"], xml["EventKey"]);
    }
}

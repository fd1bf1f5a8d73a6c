using WecomBridge.Contracts.Messages;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>Messages members send to a WeCom app; MsgId is kept as a string (64-bit).</summary>
internal static class WeComMessages
{
    public static WecomMessageReceived Map(CallbackXml x, string msgType, in WeComSource s) => msgType switch
    {
        "text" or "image" or "voice" or "video" or "location" or "link" => new(
            s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
            x.Optional("AgentID"), x.Required("FromUserName"), msgType, x.Required("MsgId"),
            x.Optional("Content"), x.Optional("PicUrl"), x.Optional("MediaId"), x.Optional("Format"),
            x.Optional("ThumbMediaId"), x.Double("Location_X"), x.Double("Location_Y"), x.Int("Scale"),
            x.Optional("Label"), x.Optional("Title"), x.Optional("Description"), x.Optional("Url")),
        _ => throw new UnmappedCallbackException("unknown MsgType"),
    };
}

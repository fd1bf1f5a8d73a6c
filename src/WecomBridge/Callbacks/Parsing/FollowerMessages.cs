using WecomBridge.Contracts.Followers;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>Messages followers send to an Official Account; MsgId is kept as a string (64-bit).</summary>
internal static class FollowerMessages
{
    public static FollowerMessageReceived Map(CallbackXml x, string msgType, in OfficialAccountSource s) => msgType switch
    {
        "text" or "image" or "voice" or "video" or "shortvideo" or "location" or "link" => new(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt,
            x.Required("FromUserName"), msgType, x.Required("MsgId"),
            x.Optional("Content"), x.Optional("PicUrl"), x.Optional("MediaId"), x.Optional("Format"),
            x.Optional("Recognition"), x.Optional("ThumbMediaId"), x.Double("Location_X"), x.Double("Location_Y"),
            x.Int("Scale"), x.Optional("Label"), x.Optional("Title"), x.Optional("Description"), x.Optional("Url")),
        _ => throw new UnmappedCallbackException("unknown MsgType"),
    };
}

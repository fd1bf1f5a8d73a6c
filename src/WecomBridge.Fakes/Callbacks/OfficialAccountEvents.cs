namespace WecomBridge.Fakes.Callbacks;

/// <summary>Plaintext XML of Official Account pushes (docs/wecom-protocol.md §4): ToUserName = gh_ id, FromUserName = OpenID.</summary>
public static class OfficialAccountEvents
{
    /// <summary>subscribe; from a parametric QR code with EventKey qrscene_&lt;scene&gt; and Ticket.</summary>
    public static string Subscribe(string ghId, string openId, string? scene = null, string? ticket = null, long? createTime = null) =>
        Event(ghId, openId, "subscribe", createTime,
            ("EventKey", scene is null ? null : "qrscene_" + scene), ("Ticket", scene is null ? null : ticket ?? "TICKET"));

    public static string Unsubscribe(string ghId, string openId, long? createTime = null) =>
        Event(ghId, openId, "unsubscribe", createTime);

    /// <summary>SCAN by a follower: EventKey is the scene without prefix.</summary>
    public static string Scan(string ghId, string openId, string scene, string ticket = "TICKET", long? createTime = null) =>
        Event(ghId, openId, "SCAN", createTime, ("EventKey", scene), ("Ticket", ticket));

    public static string Location(string ghId, string openId, double latitude, double longitude, double precision, long? createTime = null) =>
        Event(ghId, openId, "LOCATION", createTime, ("Latitude", latitude), ("Longitude", longitude), ("Precision", precision));

    public static string Click(string ghId, string openId, string key, long? createTime = null) =>
        Event(ghId, openId, "CLICK", createTime, ("EventKey", key));

    public static string View(string ghId, string openId, string url, string? menuId = null, long? createTime = null) =>
        Event(ghId, openId, "VIEW", createTime, ("EventKey", url), ("MenuId", menuId));

    /// <summary>Status: success, failed:user block, failed: system failed.</summary>
    public static string TemplateSendJobFinish(string ghId, string openId, string msgId, string status = "success", long? createTime = null) =>
        Event(ghId, openId, "TEMPLATESENDJOBFINISH", createTime, ("MsgID", msgId), ("Status", status));

    /// <summary>Status: send success, send fail, err(NNNNN). CopyrightCheckResult/ArticleUrlResult are left out.</summary>
    public static string MassSendJobFinish(
        string ghId, string openId, string msgId, string status = "send success", int totalCount = 1, int filterCount = 1,
        int sentCount = 1, int errorCount = 0, long? createTime = null) =>
        Event(ghId, openId, "MASSSENDJOBFINISH", createTime, ("MsgID", msgId), ("Status", status), ("TotalCount", totalCount),
            ("FilterCount", filterCount), ("SentCount", sentCount), ("ErrorCount", errorCount));

    /// <summary>A text message from a follower (it opens the 48-hour customer-service window).</summary>
    public static string Text(string ghId, string openId, string content, string msgId, long? createTime = null) =>
        EventXml.Build(("ToUserName", ghId), ("FromUserName", openId), ("CreateTime", createTime ?? EventXml.Now(null)),
            ("MsgType", "text"), ("Content", content), ("MsgId", msgId));

    private static string Event(string ghId, string openId, string evt, long? createTime, params (string, object?)[] fields) =>
        EventXml.Build(new (string, object?)[]
        {
            ("ToUserName", ghId), ("FromUserName", openId), ("CreateTime", createTime ?? EventXml.Now(null)),
            ("MsgType", "event"), ("Event", evt),
        }.Concat(fields).ToArray());
}

using System.Text;
using WecomBridge.Callbacks.Parsing;

namespace WecomBridge.Tests.Callbacks.Parsing;

/// <summary>Callback XML in the shapes of wecom-facts.md §3–4, and the parsers run on it.</summary>
internal static class CallbackSamples
{
    public const long CreateTime = 1403610513;
    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A self-built app event: ToUserName = CorpID, FromUserName = sys, MsgType = event.</summary>
    public static string WeComEvent(string body, long createTime = CreateTime) =>
        "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        + $"<CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>{body}</xml>";

    public static string OaEvent(string body, long createTime = 123456789, string openId = "oOPENID") =>
        $"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName>"
        + $"<CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>{body}</xml>";

    public static string OaMessage(string msgType, string body, string msgId = "1234567890123456789") =>
        "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oOPENID]]></FromUserName>"
        + $"<CreateTime>1348831860</CreateTime><MsgType><![CDATA[{msgType}]]></MsgType>{body}<MsgId>{msgId}</MsgId></xml>";

    public static ParsedCallback ParseWeCom(string xml, string corp = "acme", string app = "crm") =>
        WeComCallbackParser.Parse(Encoding.UTF8.GetBytes(xml), corp, app, "ww1436e0e65a779aee", ReceivedAt);

    public static ParsedCallback Oa(string xml, string account = "brand") =>
        OfficialAccountCallbackParser.Parse(Encoding.UTF8.GetBytes(xml), account, "wxb11529c136998cb6", ReceivedAt);

    public static T WeComEventOf<T>(string body) => Assert.IsType<T>(ParseWeCom(WeComEvent(body)).Event);

    public static T OaEventOf<T>(string body) => Assert.IsType<T>(Oa(OaEvent(body)).Event);
}

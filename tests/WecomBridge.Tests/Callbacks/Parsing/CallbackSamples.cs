using System.Text;
using WecomBridge.Callbacks.Parsing;

namespace WecomBridge.Tests.Callbacks.Parsing;

/// <summary>Callback XML in the shapes Tencent documents, and the parsers run on it.</summary>
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

    /// <summary>
    /// A WeCom approval status change (sys_approval_change) as the approval docs show it: its approver's UserId sits
    /// five levels deep (ApprovalInfo/SpRecord/Details/Approver/UserId).
    /// </summary>
    public static string ApprovalChange(string spNo = "202611230001", string agentId = "3010040") =>
        "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        + $"<CreateTime>{CreateTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[sys_approval_change]]></Event>"
        + $"<AgentID>{agentId}</AgentID><ApprovalInfo><SpNo>{spNo}</SpNo><SpName><![CDATA[请假]]></SpName><SpStatus>1</SpStatus>"
        + "<TemplateId><![CDATA[C4RbNsgU2EaMvCrXaSc6fyRKDMpqCtnrFoH5gyMzE]]></TemplateId><ApplyTime>1403610513</ApplyTime>"
        + "<Applyer><UserId><![CDATA[WuJunJie]]></UserId><Party><![CDATA[1]]></Party></Applyer>"
        + "<SpRecord><SpStatus>1</SpStatus><ApproverAttr>1</ApproverAttr><Details><Approver><UserId><![CDATA[WangXiaoMing]]></UserId></Approver>"
        + "<Speech><![CDATA[]]></Speech><SpStatus>1</SpStatus><SpTime>0</SpTime></Details></SpRecord>"
        + "<Notifyer><UserId><![CDATA[LiuXiaoGang]]></UserId></Notifyer>"
        + "<Comments><CommentUserInfo><UserId><![CDATA[LiuXiaoGang]]></UserId></CommentUserInfo><CommentTime>1403610513</CommentTime>"
        + "<CommentContent><![CDATA[这是备注]]></CommentContent><CommentId><![CDATA[6750538708562308220]]></CommentId></Comments>"
        + "<StatuChangeEvent>1</StatuChangeEvent></ApprovalInfo></xml>";

    public static ParsedCallback ParseWeCom(string xml, string corp = "acme", string app = "crm") =>
        ParseWeCom(Encoding.UTF8.GetBytes(xml), corp, app);

    public static ParsedCallback ParseWeCom(byte[] plaintext, string corp = "acme", string app = "crm") =>
        WeComCallbackParser.Parse(plaintext, corp, app, "ww1436e0e65a779aee", ReceivedAt);

    public static ParsedCallback Oa(string xml, string account = "brand") => Oa(Encoding.UTF8.GetBytes(xml), account);

    public static ParsedCallback Oa(byte[] body, string account = "brand") =>
        OfficialAccountCallbackParser.Parse(body, account, "wxb11529c136998cb6", ReceivedAt);

    public static T WeComEventOf<T>(string body) => Assert.IsType<T>(ParseWeCom(WeComEvent(body)).Event);

    public static T OaEventOf<T>(string body) => Assert.IsType<T>(Oa(OaEvent(body)).Event);
}

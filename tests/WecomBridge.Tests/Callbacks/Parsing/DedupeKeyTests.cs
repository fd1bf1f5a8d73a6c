using System.Security.Cryptography;
using System.Text;
using WecomBridge.Callbacks.Parsing;
using WecomBridge.Messaging;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

/// <summary>The dedupe key and event id: one per change, whatever delivered it; two changes never share one.</summary>
public class DedupeKeyTests
{
    private const string Added = "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>"
        + "<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[wo1]]></ExternalUserID><WelcomeCode><![CDATA[W]]></WelcomeCode>";

    /// <summary>Two different changes of one family in the same second, whose old keys (natural ids + CreateTime) met.</summary>
    public static TheoryData<string, string, string> SameSecondChanges => new()
    {
        { "update_user", Contact("update_user", "<UserID>zhangsan</UserID><Name><![CDATA[张三]]></Name>"), Contact("update_user", "<UserID>zhangsan</UserID><Mobile>13800000000</Mobile>") },
        { "update_party", Contact("update_party", "<Id>2</Id><Name>Sales</Name>"), Contact("update_party", "<Id>2</Id><ParentId>5</ParentId>") },
        { "update_tag", Contact("update_tag", "<TagId>7</TagId><AddUserItems>lisi</AddUserItems>"), Contact("update_tag", "<TagId>7</TagId><DelUserItems>lisi</DelUserItems>") },
        { "create_user again", Contact("create_user", "<UserID>zhangsan</UserID><Name>A</Name>"), Contact("create_user", "<UserID>zhangsan</UserID><Name>B</Name>") },
        { "create_party again", Contact("create_party", "<Id>3</Id><Name>A</Name><ParentId>1</ParentId>"), Contact("create_party", "<Id>3</Id><Name>A</Name><ParentId>2</ParentId>") },
        { "chat update without versions", Chat("<UpdateDetail>add_member</UpdateDetail><MemChangeList><Item>wm1</Item></MemChangeList>"), Chat("<UpdateDetail>add_member</UpdateDetail><MemChangeList><Item>wm2</Item></MemChangeList>") },
        { "chat update of another kind", Chat("<UpdateDetail>change_name</UpdateDetail>"), Chat("<UpdateDetail>change_notice</UpdateDetail>") },
        { "tag create, tag or group", Tag("create", "<Id>et1</Id><TagType>tag</TagType>"), Tag("create", "<Id>et1</Id><TagType>tag_group</TagType>") },
        { "tag update, tag or group", Tag("update", "<Id>et1</Id><TagType>tag</TagType>"), Tag("update", "<Id>et1</Id><TagType>tag_group</TagType>") },
        { "tag delete, tag or group", Tag("delete", "<Id>et1</Id><TagType>tag</TagType>"), Tag("delete", "<Id>et1</Id><TagType>tag_group</TagType>") },
        { "tag shuffle", Tag("shuffle", "<Id>et1</Id>"), Tag("shuffle", "<Id>et1</Id><StrategyId>1</StrategyId>") },
        { "external contact transfer_fail", Customer("transfer_fail", "<FailReason>customer_refused</FailReason>"), Customer("transfer_fail", "<FailReason>customer_limit_exceed</FailReason>") },
        { "external contact edit with a new field", Customer("edit_external_contact", ""), Customer("edit_external_contact", "<EditType>remark</EditType>") },
        { "external contact add with another state", Customer("add_external_contact", "<State>a</State>"), Customer("add_external_contact", "<State>b</State>") },
        { "unknown family", WeComEvent("<Event>brand_new</Event><A>BC</A>"), WeComEvent("<Event>brand_new</Event><AB>C</AB>") },
        { "attributes only", WeComEvent("<Event>brand_new</Event><A k=\"1\">x</A>"), WeComEvent("<Event>brand_new</Event><A k=\"2\">x</A>") },
        { "text beside children", WeComEvent("<Event>brand_new</Event><A>1<B>x</B></A>"), WeComEvent("<Event>brand_new</Event><A>2<B>x</B></A>") },
        { "OA LOCATION", OaEvent("<Event>LOCATION</Event><Latitude>23.1</Latitude><Longitude>113.3</Longitude>"), OaEvent("<Event>LOCATION</Event><Latitude>23.2</Latitude><Longitude>113.3</Longitude>") },
        { "OA CLICK", OaEvent("<Event>CLICK</Event><EventKey>A</EventKey>"), OaEvent("<Event>CLICK</Event><EventKey>B</EventKey>") },
        { "OA VIEW", OaEvent("<Event>VIEW</Event><EventKey>https://a.example/1</EventKey>"), OaEvent("<Event>VIEW</Event><EventKey>https://a.example/2</EventKey>") },
        { "OA template job reports", OaEvent("<Event>TEMPLATESENDJOBFINISH</Event><MsgID>42</MsgID><Status>success</Status>"), OaEvent("<Event>TEMPLATESENDJOBFINISH</Event><MsgID>43</MsgID><Status>success</Status>") },
    };

    [Theory]
    [MemberData(nameof(SameSecondChanges))]
    public void Two_changes_in_one_second_get_two_ids(string family, string first, string second)
    {
        var (a, b) = (Parse(first), Parse(second));

        Assert.NotEqual(a.DedupeKey, b.DedupeKey);
        Assert.True(a.EventId != b.EventId, family);
    }

    [Theory]
    [MemberData(nameof(SameSecondChanges))]
    public void One_change_delivered_again_in_another_form_gets_one_id(string family, string first, string _)
    {
        var again = Reformatted(first);
        Assert.NotEqual(first, Encoding.UTF8.GetString(again));

        Assert.True(Parse(first).EventId == (first.Contains("gh_x") ? Oa(again) : ParseWeCom(again)).EventId, family);
    }

    [Theory]
    [MemberData(nameof(SameSecondChanges))]
    public void A_corp_wide_change_pushed_to_two_apps_of_one_corp_gets_one_id(string family, string first, string _)
    {
        if (first.Contains("gh_x")) return; // Official Accounts have no apps
        var toCrm = first.Replace("</MsgType>", "</MsgType><AgentID>1000002</AgentID>");
        var toSync = first.Replace("</MsgType>", "</MsgType><AgentID>1000005</AgentID>");

        Assert.True(ParseWeCom(toCrm, app: "crm").EventId == ParseWeCom(toSync, app: "sync").EventId, family);
        Assert.NotEqual(ParseWeCom(toCrm, corp: "acme").EventId, ParseWeCom(toCrm, corp: "other").EventId);
    }

    [Fact]
    public void Four_deliveries_of_one_callback_give_one_event_id()
    {
        var deliveries = Enumerable.Range(0, 4).Select(_ => ParseWeCom(WeComEvent(Added))).ToList();

        Assert.Single(deliveries.Select(d => d.EventId).Distinct());
        Assert.Single(deliveries.Select(d => d.DedupeKey).Distinct());
        Assert.Matches("^[0-9a-f]{32}$", deliveries[0].EventId);
        Assert.Equal(EventIds.Of(deliveries[0].DedupeKey), deliveries[0].EventId);
    }

    [Fact]
    public void Events_are_keyed_on_the_corp_and_a_hash_of_their_fields_in_document_order()
    {
        const string xml = "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName>sys</FromUserName><CreateTime>1403610513</CreateTime>"
            + "<MsgType>event</MsgType><AgentID>1000002</AgentID><Event>change_contact</Event><ChangeType>update_tag</ChangeType><TagId>7</TagId></xml>";
        var fields = "ToUserName\0ww1\0FromUserName\0sys\0CreateTime\01403610513\0MsgType\0event\0Event\0change_contact\0ChangeType\0update_tag\0TagId\07\0";

        Assert.Equal("wecom:acme:xml:" + Sha256Hex(fields), ParseWeCom(xml).DedupeKey); // AgentID left out: from sys
        Assert.Equal("wecom:acme:xml:" + Sha256Hex(fields.Replace("sys", "zhangsan").Replace("event\0", "event\0AgentID\01000002\0")),
            ParseWeCom(xml.Replace("sys", "zhangsan")).DedupeKey);
        Assert.Equal("oa:brand:xml:" + Sha256Hex(fields.Replace("event\0", "event\0AgentID\01000002\0")), Oa(xml).DedupeKey);
    }

    [Fact]
    public void Messages_are_keyed_on_their_msg_id()
    {
        Assert.Equal("wecom:acme:msg:1000002:1456453720", ParseWeCom(WeComText("1456453720", "1000002")).DedupeKey);
        Assert.Equal("wecom:acme:msg::1456453720", ParseWeCom(WeComText("1456453720", agentId: null)).DedupeKey);
        Assert.Equal("oa:brand:msg:99", Oa(OaMessage("text", "<Content>a</Content>", "99")).DedupeKey);
        Assert.Equal("oa:brand:msg:99", Oa(OaMessage("hologram", "<Content>a</Content>", "99")).DedupeKey); // mapped or not
    }

    [Fact]
    public void A_message_is_one_per_msg_id_and_app()
    {
        var message = WeComText("77", "1000002");

        Assert.Equal(ParseWeCom(message, app: "crm").EventId, ParseWeCom(message, app: "other").EventId);
        Assert.NotEqual(ParseWeCom(message).EventId, ParseWeCom(WeComText("77", "1000003")).EventId);
        Assert.NotEqual(ParseWeCom(message).EventId, ParseWeCom(WeComText("78", "1000002")).EventId);
        Assert.Equal(Oa(OaMessage("text", "<Content>a</Content>", "99")).EventId, Oa(OaMessage("text", "<Content>a</Content><Extra>1</Extra>", "99")).EventId);
    }

    [Fact]
    public void A_member_event_in_two_apps_is_two_events()
    {
        // enter_agent comes from the member, to one app: the AgentID is what tells the two apps' events apart.
        static string Enter(string agentId) =>
            "<xml><ToUserName>ww1</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>1403610513</CreateTime>"
            + $"<MsgType>event</MsgType><Event>enter_agent</Event><EventKey></EventKey><AgentID>{agentId}</AgentID></xml>";

        Assert.NotEqual(ParseWeCom(Enter("1000002"), app: "crm").EventId, ParseWeCom(Enter("1000005"), app: "sync").EventId);
        Assert.Equal(ParseWeCom(Enter("1000002"), app: "crm").EventId, ParseWeCom(Enter("1000002"), app: "crm").EventId);
    }

    [Fact]
    public void Different_callbacks_get_different_ids()
    {
        var ids = new[]
        {
            ParseWeCom(WeComEvent(Added)),
            ParseWeCom(WeComEvent(Added, CreateTime + 1)),
            ParseWeCom(WeComEvent(Added.Replace("zhangsan", "lisi"))),
            ParseWeCom(WeComEvent(Added.Replace("wo1", "wo2"))),
            ParseWeCom(WeComEvent(Added.Replace("add_external_contact", "add_half_external_contact"))),
            ParseWeCom(WeComEvent(Added), corp: "other"),
            ParseWeCom("<xml>not closed"),
            ParseWeCom("<xml>not closed", corp: "other"),
            Oa(OaEvent("<Event>subscribe</Event>")),
            Oa(OaEvent("<Event>subscribe</Event>"), account: "other"),
            Oa(OaEvent("<Event>subscribe</Event>", openId: "oOTHER")),
            Oa(OaEvent("<Event>unsubscribe</Event>")),
            Oa("<xml>not closed"),
        }.Select(p => p.EventId).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Content_that_is_not_xml_is_keyed_on_its_bytes()
    {
        byte[] bytes = [.. "<xml><A>"u8, 0xFF, .. "</A></xml>"u8];

        Assert.Equal("wecom:acme:raw:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), ParseWeCom(bytes).DedupeKey);
        Assert.Equal(ParseWeCom(bytes, app: "crm").EventId, ParseWeCom(bytes, app: "sync").EventId);
        Assert.Equal("oa:brand:raw:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), Oa(bytes).DedupeKey);
    }

    private static ParsedCallback Parse(string xml) => xml.Contains("gh_x") ? Oa(xml) : ParseWeCom(xml);

    private static string Contact(string changeType, string body) =>
        WeComEvent($"<Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[{changeType}]]></ChangeType>{body}");

    private static string Chat(string body) =>
        WeComEvent($"<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wr1]]></ChatId><ChangeType><![CDATA[update]]></ChangeType>{body}");

    private static string Tag(string changeType, string body) =>
        WeComEvent($"<Event><![CDATA[change_external_tag]]></Event>{body}<ChangeType><![CDATA[{changeType}]]></ChangeType>");

    private static string Customer(string changeType, string body) =>
        WeComEvent($"<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[{changeType}]]></ChangeType>"
            + $"<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[wo1]]></ExternalUserID>{body}");

    private static string WeComText(string msgId, string? agentId) =>
        "<xml><ToUserName>ww1</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType>"
        + $"<Content>你好</Content><MsgId>{msgId}</MsgId>{(agentId is null ? "" : $"<AgentID>{agentId}</AgentID>")}</xml>";

    /// <summary>The same document written otherwise: BOM and declaration, CDATA as escaped text, a line per element.</summary>
    private static byte[] Reformatted(string xml)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(xml, @"<!\[CDATA\[(.*?)\]\]>", m => System.Security.SecurityElement.Escape(m.Groups[1].Value));
        text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n" + text.Replace("><", ">\n  <");
        return [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

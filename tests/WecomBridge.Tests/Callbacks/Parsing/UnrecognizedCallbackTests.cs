using WecomBridge.Callbacks.Parsing;
using WecomBridge.Contracts.Callbacks;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class UnrecognizedCallbackTests
{
    [Theory]
    [InlineData("<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[brand_new]]></ChangeType><UserID>u</UserID><ExternalUserID>e</ExternalUserID>", "unknown ChangeType")]
    [InlineData("<Event><![CDATA[change_external_chat]]></Event><ChatId>wr1</ChatId><ChangeType><![CDATA[archive]]></ChangeType>", "unknown ChangeType")]
    [InlineData("<Event><![CDATA[change_external_tag]]></Event><Id>1</Id><ChangeType><![CDATA[merge]]></ChangeType>", "unknown ChangeType")]
    [InlineData("<Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[create_something]]></ChangeType>", "unknown ChangeType")]
    [InlineData("<Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey>", "unknown Event")]
    [InlineData("<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID>u</UserID>", "missing ExternalUserID")]
    [InlineData("<Event><![CDATA[change_contact]]></Event><ChangeType>delete_party</ChangeType><Id>two</Id>", "invalid Id")]
    [InlineData("<Event><![CDATA[change_contact]]></Event><ChangeType>update_tag</ChangeType><TagId>7</TagId><AddPartyItems>1,x</AddPartyItems>", "invalid AddPartyItems")]
    [InlineData("<Event><![CDATA[change_contact]]></Event><ChangeType>create_party</ChangeType><Id>99999999999999999999</Id>", "invalid Id")]
    [InlineData("<ChangeType>create</ChangeType>", "unknown Event")]
    public void Unknown_or_incomplete_wecom_events_are_kept_raw(string body, string reason)
    {
        var xml = WeComEvent(body);
        var parsed = ParseWeCom(xml);

        var unrecognized = Assert.IsType<UnrecognizedCallbackReceived>(parsed.Event);
        Assert.Equal(reason, unrecognized.Reason);
        Assert.Equal(("wecom", "acme", "crm", "ww1436e0e65a779aee"), (unrecognized.Channel, unrecognized.Corp, unrecognized.App, unrecognized.CorpId));
        Assert.Null(unrecognized.Account);
        Assert.Equal(xml, unrecognized.RawXml);
        Assert.Null(unrecognized.RawBase64);
        Assert.Equal("event", unrecognized.MsgType);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(CreateTime), unrecognized.OccurredAt);
        Assert.Equal(parsed.EventId, unrecognized.EventId);
        Assert.StartsWith("wecom:acme:xml:", parsed.DedupeKey);
    }

    [Fact]
    public void Unknown_wecom_msg_type_is_kept_raw()
    {
        var parsed = ParseWeCom("<xml><ToUserName>ww1</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>1</CreateTime><MsgType>hologram</MsgType><MsgId>5</MsgId></xml>");

        var unrecognized = Assert.IsType<UnrecognizedCallbackReceived>(parsed.Event);
        Assert.Equal(("hologram", "unknown MsgType"), (unrecognized.MsgType, unrecognized.Reason));
        Assert.Equal("wecom:acme:msg::5", parsed.DedupeKey);
    }

    [Fact]
    public void An_approval_event_nested_five_deep_is_read_and_kept_raw()
    {
        var xml = ApprovalChange();

        var parsed = ParseWeCom(xml);

        var unrecognized = Assert.IsType<UnrecognizedCallbackReceived>(parsed.Event);
        Assert.Equal(("event", "sys_approval_change", "unknown Event"), (unrecognized.MsgType, unrecognized.Event, unrecognized.Reason));
        Assert.Equal(xml, unrecognized.RawXml);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(CreateTime), unrecognized.OccurredAt);
        Assert.Equal("WangXiaoMing", CallbackXml.Parse(System.Text.Encoding.UTF8.GetBytes(xml))["ApprovalInfo/SpRecord/Details/Approver/UserId"]);
        Assert.Equal(parsed.EventId, ParseWeCom(ApprovalChange(agentId: "1000002"), app: "approvals").EventId); // from sys: one per corp
        Assert.NotEqual(parsed.EventId, ParseWeCom(ApprovalChange(spNo: "202611230002")).EventId);
    }

    [Theory]
    [InlineData("<Event><![CDATA[user_authorization_revoke]]></Event>", "unknown Event")]
    [InlineData("<Event><![CDATA[LOCATION]]></Event><Latitude>north</Latitude><Longitude>1</Longitude>", "invalid Latitude")]
    [InlineData("<Event><![CDATA[CLICK]]></Event>", "missing EventKey")]
    [InlineData("<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><Status>success</Status>", "missing MsgID")]
    [InlineData("<Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>1</MsgID><Status>send success</Status><TotalCount>lots</TotalCount>", "invalid TotalCount")]
    public void Unknown_or_incomplete_oa_events_are_kept_raw(string body, string reason)
    {
        var xml = OaEvent(body);
        var parsed = Oa(xml);

        var unrecognized = Assert.IsType<UnrecognizedCallbackReceived>(parsed.Event);
        Assert.Equal(reason, unrecognized.Reason);
        Assert.Equal(("oa", "brand", "wxb11529c136998cb6"), (unrecognized.Channel, unrecognized.Account, unrecognized.AppId));
        Assert.Null(unrecognized.Corp);
        Assert.Equal(xml, unrecognized.RawXml);
        Assert.StartsWith("oa:brand:xml:", parsed.DedupeKey);
    }

    [Fact]
    public void Unknown_oa_msg_type_is_kept_raw()
    {
        var parsed = Oa(OaMessage("miniprogrampage", "<Title>t</Title>"));
        Assert.Equal("unknown MsgType", Assert.IsType<UnrecognizedCallbackReceived>(parsed.Event).Reason);
    }

    [Fact]
    public void Raw_event_ids_are_deterministic_and_distinct()
    {
        var xml = WeComEvent("<Event>enter_agent</Event>");
        Assert.Equal(ParseWeCom(xml).EventId, ParseWeCom(xml).EventId);
        Assert.NotEqual(ParseWeCom(xml).EventId, ParseWeCom(WeComEvent("<Event>enter_agent</Event>", CreateTime + 1)).EventId);
        Assert.NotEqual(ParseWeCom(xml).EventId, ParseWeCom(xml, corp: "other").EventId);
    }
}

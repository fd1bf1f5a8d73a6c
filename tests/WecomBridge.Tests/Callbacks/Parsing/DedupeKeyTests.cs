using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class DedupeKeyTests
{
    private const string Added = "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>"
        + "<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[wo1]]></ExternalUserID><WelcomeCode><![CDATA[W]]></WelcomeCode>";

    [Fact]
    public void Four_deliveries_of_one_callback_give_one_event_id()
    {
        var deliveries = Enumerable.Range(0, 4).Select(_ => ParseWeCom(WeComEvent(Added))).ToList();

        Assert.Single(deliveries.Select(d => d.EventId).Distinct());
        Assert.Single(deliveries.Select(d => d.DedupeKey).Distinct());
        Assert.Matches("^[0-9a-f]{32}$", deliveries[0].EventId);
    }

    [Fact]
    public void The_key_follows_the_documented_shape()
    {
        Assert.Equal("wecom:acme:crm:change_external_contact:add_external_contact:zhangsan:wo1:1403610513", ParseWeCom(WeComEvent(Added)).DedupeKey);
        Assert.Equal("wecom:acme:crm:change_external_chat:update:wr1:1403610513:add_member:v2", ParseWeCom(WeComEvent(
            "<Event>change_external_chat</Event><ChatId>wr1</ChatId><ChangeType>update</ChangeType><UpdateDetail>add_member</UpdateDetail><CurMemVer>v2</CurMemVer>")).DedupeKey);
        Assert.Equal("wecom:acme:crm:change_external_tag:create:et1:1403610513", ParseWeCom(WeComEvent(
            "<Event>change_external_tag</Event><Id>et1</Id><TagType>tag</TagType><ChangeType>create</ChangeType>")).DedupeKey);
        Assert.Equal("wecom:acme:crm:change_contact:update_tag:7:1403610513", ParseWeCom(WeComEvent(
            "<Event>change_contact</Event><ChangeType>update_tag</ChangeType><TagId>7</TagId>")).DedupeKey);
        Assert.Equal("oa:brand:oOPENID:123456789:CLICK::K", Oa(OaEvent("<Event>CLICK</Event><EventKey>K</EventKey>")).DedupeKey);
        Assert.Equal("oa:brand:oOPENID:123456789:TEMPLATESENDJOBFINISH:42", Oa(OaEvent("<Event>TEMPLATESENDJOBFINISH</Event><MsgID>42</MsgID><Status>success</Status>")).DedupeKey);
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
            ParseWeCom(WeComEvent(Added), app: "other"),
            Oa(OaEvent("<Event>subscribe</Event>")),
            Oa(OaEvent("<Event>subscribe</Event>"), account: "other"),
            Oa(OaEvent("<Event>subscribe</Event>", openId: "oOTHER")),
            Oa(OaEvent("<Event>unsubscribe</Event>")),
        }.Select(p => p.EventId).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Group_chat_updates_in_one_second_stay_distinct()
    {
        static string Update(string detail, string version) => ParseWeCom(WeComEvent(
            $"<Event>change_external_chat</Event><ChatId>wr1</ChatId><ChangeType>update</ChangeType><UpdateDetail>{detail}</UpdateDetail><CurMemVer>{version}</CurMemVer>")).EventId;

        Assert.NotEqual(Update("add_member", "v2"), Update("add_member", "v3"));
        Assert.NotEqual(Update("change_name", "v2"), Update("change_notice", "v2"));
    }

    [Fact]
    public void Same_msg_id_is_the_same_message_even_with_other_fields()
    {
        var first = Oa(OaMessage("text", "<Content>a</Content>", "99"));
        var second = Oa(OaMessage("text", "<Content>a</Content><Extra>1</Extra>", "99"));

        Assert.Equal(first.EventId, second.EventId);
        Assert.NotEqual(first.EventId, Oa(OaMessage("text", "<Content>a</Content>", "100")).EventId);
    }
}

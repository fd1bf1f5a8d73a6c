using WecomBridge.Contracts.Followers;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class FollowerEventParsingTests
{
    [Fact]
    public void Subscribe_from_a_qr_code_strips_the_scene_prefix()
    {
        var parsed = Oa(OaEvent("<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>"));

        var subscribed = Assert.IsType<FollowerSubscribed>(parsed.Event);
        Assert.Equal(parsed.EventId, subscribed.EventId);
        Assert.Equal(("brand", "wxb11529c136998cb6", "gh_x", "oOPENID"), (subscribed.Account, subscribed.AppId, subscribed.OriginalId, subscribed.OpenId));
        Assert.Equal(("123123", "TICKET"), (subscribed.Scene, subscribed.Ticket));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(123456789), subscribed.OccurredAt);
        Assert.Equal(ReceivedAt, subscribed.ReceivedAt);
    }

    [Fact]
    public void Plain_subscribe_has_no_scene()
    {
        var subscribed = OaEventOf<FollowerSubscribed>("<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[]]></EventKey>");
        Assert.Null(subscribed.Scene);
        Assert.Null(subscribed.Ticket);
    }

    [Fact]
    public void Unsubscribe() =>
        Assert.Equal("oOPENID", OaEventOf<FollowerUnsubscribed>("<Event><![CDATA[unsubscribe]]></Event>").OpenId);

    [Fact]
    public void Scan_has_the_scene_without_prefix()
    {
        var scanned = OaEventOf<FollowerScanned>("<Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[SCENE_VALUE]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>");
        Assert.Equal(("SCENE_VALUE", "TICKET"), (scanned.Scene, scanned.Ticket));
    }

    [Fact]
    public void Location()
    {
        var location = OaEventOf<FollowerLocationReported>("<Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision>");
        Assert.Equal((23.137466, 113.352425, 119.38504), (location.Latitude, location.Longitude, location.Precision!.Value));
    }

    [Fact]
    public void Click_and_view()
    {
        Assert.Equal("EVENTKEY", OaEventOf<MenuClicked>("<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[EVENTKEY]]></EventKey>").Key);
        var viewed = OaEventOf<MenuLinkViewed>("<Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[www.qq.com]]></EventKey><MenuId>MENUID</MenuId>");
        Assert.Equal(("www.qq.com", "MENUID"), (viewed.Url, viewed.MenuId));
    }
}

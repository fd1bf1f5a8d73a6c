using WecomBridge.Contracts.Followers;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class FollowerMessageParsingTests
{
    [Fact]
    public void Text_keyed_by_msg_id()
    {
        var parsed = Oa(OaMessage("text", "<Content><![CDATA[this is a test]]></Content>"));

        var message = Assert.IsType<FollowerMessageReceived>(parsed.Event);
        Assert.Equal(("text", "1234567890123456789", "oOPENID", "this is a test"), (message.MsgType, message.MsgId, message.OpenId, message.Content));
        Assert.Equal("oa:brand:msg:1234567890123456789", parsed.DedupeKey);
    }

    [Fact]
    public void Media_messages()
    {
        Assert.Equal(("http://p/1.jpg", "m1"), Pick(Message("image", "<PicUrl><![CDATA[http://p/1.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>"), m => (m.PicUrl, m.MediaId)));
        Assert.Equal(("amr", "你好"), Pick(Message("voice", "<MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[你好]]></Recognition>"), m => (m.Format, m.Recognition)));
        Assert.Equal(("m3", "t3"), Pick(Message("video", "<MediaId><![CDATA[m3]]></MediaId><ThumbMediaId><![CDATA[t3]]></ThumbMediaId>"), m => (m.MediaId, m.ThumbMediaId)));
        Assert.Equal("shortvideo", Message("shortvideo", "<MediaId><![CDATA[m4]]></MediaId><ThumbMediaId><![CDATA[t4]]></ThumbMediaId>").MsgType);
    }

    [Fact]
    public void Location_and_link()
    {
        var location = Message("location", "<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label>");
        Assert.Equal((23.134521, 113.358803, 20, "位置信息"), (location.LocationX!.Value, location.LocationY!.Value, location.Scale!.Value, location.Label));
        var link = Message("link", "<Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[公众平台官网链接]]></Description><Url><![CDATA[url]]></Url>");
        Assert.Equal(("公众平台官网链接", "url"), (link.Title, link.Url));
    }

    private static FollowerMessageReceived Message(string msgType, string body) =>
        Assert.IsType<FollowerMessageReceived>(Oa(OaMessage(msgType, body)).Event);

    private static T Pick<T>(FollowerMessageReceived message, Func<FollowerMessageReceived, T> pick) => pick(message);
}

using WecomBridge.Contracts.Messages;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class WeComMessageParsingTests
{
    [Fact]
    public void Vector_a_plaintext_is_a_text_message()
    {
        var parsed = ParseWeCom("<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime>"
            + "<MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>");

        var message = Assert.IsType<WecomMessageReceived>(parsed.Event);
        Assert.Equal(("text", "1456453720", "ChenJiaShun", "1000002", "你好"),
            (message.MsgType, message.MsgId, message.FromUserId, message.AgentId, message.Content));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1476422779), message.OccurredAt);
        Assert.Equal("wecom:acme:msg:1000002:1456453720", parsed.DedupeKey);
    }

    [Fact]
    public void Sixty_four_bit_msg_id_is_kept_as_text() =>
        Assert.Equal("4561255354251345929", Message("text", "<Content><![CDATA[hello]]></Content>", "4561255354251345929").MsgId);

    [Fact]
    public void Image_voice_video()
    {
        var image = Message("image", "<PicUrl><![CDATA[http://p/1.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>");
        Assert.Equal(("http://p/1.jpg", "m1"), (image.PicUrl, image.MediaId));
        var voice = Message("voice", "<MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format>");
        Assert.Equal(("m2", "amr"), (voice.MediaId, voice.Format));
        var video = Message("video", "<MediaId><![CDATA[m3]]></MediaId><ThumbMediaId><![CDATA[t3]]></ThumbMediaId>");
        Assert.Equal(("m3", "t3"), (video.MediaId, video.ThumbMediaId));
    }

    [Fact]
    public void Location_and_link()
    {
        var location = Message("location", "<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label>");
        Assert.Equal((23.134521, 113.358803, 20, "位置信息"), (location.LocationX!.Value, location.LocationY!.Value, location.Scale!.Value, location.Label));
        var link = Message("link", "<Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description><Url><![CDATA[https://e.example/a?b=1&c=2]]></Url><PicUrl><![CDATA[p]]></PicUrl>");
        Assert.Equal(("t", "d", "https://e.example/a?b=1&c=2"), (link.Title, link.Description, link.Url));
    }

    private static WecomMessageReceived Message(string msgType, string body, string msgId = "1234567890") =>
        Assert.IsType<WecomMessageReceived>(ParseWeCom(
            "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1348831860</CreateTime>"
            + $"<MsgType><![CDATA[{msgType}]]></MsgType>{body}<MsgId>{msgId}</MsgId><AgentID>1</AgentID></xml>").Event);
}

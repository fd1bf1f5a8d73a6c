using System.Text;
using WecomBridge.Callbacks.Parsing;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class ParserFormatTests
{
    [Theory]
    [InlineData("<xml><CreateTime>1</CreateTime><Event>subscribe</Event></xml>", "missing MsgType")]
    [InlineData("<xml><CreateTime>1</CreateTime><MsgType></MsgType></xml>", "missing MsgType")]
    [InlineData("<xml><MsgType>event</MsgType><Event>subscribe</Event></xml>", "missing or invalid CreateTime")]
    [InlineData("<xml><MsgType>event</MsgType><CreateTime>yesterday</CreateTime></xml>", "missing or invalid CreateTime")]
    [InlineData("<xml><MsgType>event</MsgType><CreateTime>-5</CreateTime></xml>", "missing or invalid CreateTime")]
    [InlineData("<xml><MsgType>event</MsgType><CreateTime>99999999999999999</CreateTime></xml>", "missing or invalid CreateTime")]
    [InlineData("<notxml><MsgType>event</MsgType></notxml>", "root element must be <xml>")]
    public void Structural_problems_throw_in_both_parsers(string xml, string reason)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        Assert.Equal(reason, Assert.Throws<CallbackFormatException>(() => WeComCallbackParser.Parse(bytes, "acme", "crm", "ww1", ReceivedAt)).Message);
        Assert.Equal(reason, Assert.Throws<CallbackFormatException>(() => OfficialAccountCallbackParser.Parse(bytes, "brand", "wx1", ReceivedAt)).Message);
    }

    [Fact]
    public void Hostile_xml_throws_from_the_parsers_too()
    {
        var bytes = Encoding.UTF8.GetBytes("<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><MsgType>&x;</MsgType><CreateTime>1</CreateTime></xml>");
        Assert.Equal("DTD is not allowed", Assert.Throws<CallbackFormatException>(() => WeComCallbackParser.Parse(bytes, "acme", "crm", "ww1", ReceivedAt)).Message);
        Assert.Equal("DTD is not allowed", Assert.Throws<CallbackFormatException>(() => OfficialAccountCallbackParser.Parse(bytes, "brand", "wx1", ReceivedAt)).Message);
    }
}

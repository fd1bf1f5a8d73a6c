using System.Text;
using WecomBridge.Callbacks.Parsing;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class CallbackXmlTests
{
    [Fact]
    public void Reads_cdata_and_plain_text_leaves()
    {
        var xml = Parse("<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1403610513</CreateTime><AgentID></AgentID><Empty/><Amp>a &amp; b</Amp></xml>");

        Assert.Equal("ww1", xml["ToUserName"]);
        Assert.Equal("1403610513", xml["CreateTime"]);
        Assert.Equal("", xml["AgentID"]);
        Assert.Equal("", xml["Empty"]);
        Assert.Equal("a & b", xml["Amp"]);
        Assert.Null(xml["Missing"]);
    }

    [Fact]
    public void Reads_repeated_nested_items_in_order()
    {
        var xml = Parse("<xml><MemChangeList><Item>wm1</Item><Item><![CDATA[lisi]]></Item></MemChangeList>"
            + "<R><List><item><Idx>1</Idx><Url>u1</Url></item><item><Idx>2</Idx><Url>u2</Url></item></List><State>2</State></R></xml>");

        Assert.Equal(["wm1", "lisi"], xml.All("MemChangeList/Item"));
        Assert.Equal(["u1", "u2"], xml.All("R/List/item/Url"));
        Assert.Equal("2", xml["R/State"]);
        Assert.Null(xml["MemChangeList"]);
    }

    [Fact]
    public void Attributes_and_text_beside_children_are_fields_too()
    {
        var xml = Parse("<xml v=\"2\"><A k=\"1\">a<B>b</B>c</A><C k=\"3\"/></xml>");

        Assert.Equal(
            [new("@v", "2"), new("A/@k", "1"), new("A/B", "b"), new("A", "ac"), new("C/@k", "3"), new("C", "")],
            xml.Fields);
    }

    [Fact]
    public void Reads_an_approval_event_nested_five_deep()
    {
        var xml = Parse(CallbackSamples.ApprovalChange());

        Assert.Equal("WangXiaoMing", xml["ApprovalInfo/SpRecord/Details/Approver/UserId"]);
        Assert.Equal("LiuXiaoGang", xml["ApprovalInfo/Comments/CommentUserInfo/UserId"]);
        Assert.Equal("sys_approval_change", xml["Event"]);
    }

    [Fact]
    public void Reads_as_deep_as_the_guard_allows()
    {
        var depth = CallbackXml.MaxDepth;
        var xml = Parse("<xml>" + string.Concat(Enumerable.Repeat("<a>", depth)) + "x" + string.Concat(Enumerable.Repeat("</a>", depth)) + "</xml>");

        Assert.Equal("x", xml[string.Join('/', Enumerable.Repeat("a", depth))]);
    }

    [Fact]
    public void Accepts_declaration_bom_comments_and_whitespace()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }
            .Concat(Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c -->\n<xml>\n  <Content><![CDATA[ 你好 ]]></Content>\n</xml>\n"))
            .ToArray();

        var xml = CallbackXml.Parse(bytes);

        Assert.Equal(" 你好 ", xml["Content"]);
    }

    [Fact]
    public void Text_of_a_document_drops_the_bom()
    {
        const string text = "<xml><A>é</A></xml>";
        Assert.Equal(text, CallbackXml.TextOf([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]));
    }

    [Fact]
    public void Reads_a_slice_of_a_larger_buffer()
    {
        var buffer = Encoding.UTF8.GetBytes("garbage<xml><A>1</A></xml>garbage");
        Assert.Equal("1", CallbackXml.Parse(buffer.AsMemory(7, 19))["A"]);
    }

    [Fact]
    public void Text_split_into_many_pieces_is_joined_in_linear_time()
    {
        var pieces = string.Concat(Enumerable.Repeat("<![CDATA[ab]]>x<!---->", 10_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var xml = Parse($"<xml><Content>{pieces}</Content><Next>1</Next></xml>");

        Assert.Equal(string.Concat(Enumerable.Repeat("abx", 10_000)), xml["Content"]);
        Assert.Equal("1", xml["Next"]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
    }

    private static CallbackXml Parse(string text) => CallbackXml.Parse(Encoding.UTF8.GetBytes(text));
}

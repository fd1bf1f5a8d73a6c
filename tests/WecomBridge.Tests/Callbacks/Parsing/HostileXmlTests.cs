using System.Diagnostics;
using System.Text;
using WecomBridge.Callbacks.Parsing;

namespace WecomBridge.Tests.Callbacks.Parsing;

/// <summary>
/// What <see cref="CallbackXml.Parse"/> refuses, as the endpoints need for the unsigned envelope. Signed content like
/// this is published raw instead (<see cref="SignedContentTests"/>).
/// </summary>
public class HostileXmlTests
{
    private const string Secret = "SECRETPAYLOAD";

    public static TheoryData<string, string> Cases => new()
    {
        { "internal entity", $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY e \"{Secret}\">]><xml><A>&e;</A></xml>" },
        { "billion laughs", BillionLaughs() },
        { "external entity", $"<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><A>&x;{Secret}</A></xml>" },
        { "external dtd", $"<!DOCTYPE xml SYSTEM \"http://example.invalid/{Secret}.dtd\"><xml><A>1</A></xml>" },
        { "not xml", $"{{\"json\": \"{Secret}\"}}" },
        { "plain text", Secret },
        { "whitespace", "   \n " },
        { "truncated", $"<xml><ToUserName><![CDATA[{Secret}" },
        { "unclosed root", $"<xml><A>{Secret}</A>" },
        { "wrong root", $"<root><A>{Secret}</A></root>" },
        { "two roots", $"<xml><A>1</A></xml><xml><A>{Secret}</A></xml>" },
        { "undeclared entity", $"<xml><A>&{Secret};</A></xml>" },
        { "deeply nested", "<xml>" + string.Concat(Enumerable.Repeat("<a>", 50_000)) + Secret + string.Concat(Enumerable.Repeat("</a>", 50_000)) + "</xml>" },
        { "nested one level too deep", "<xml>" + string.Concat(Enumerable.Repeat("<a>", CallbackXml.MaxDepth + 1)) + Secret + string.Concat(Enumerable.Repeat("</a>", CallbackXml.MaxDepth + 1)) + "</xml>" },
        { "unsupported encoding", $"<?xml version=\"1.0\" encoding=\"gb2312\"?><xml><A>{Secret}</A></xml>" },
        { "bogus encoding", $"<?xml version=\"1.0\" encoding=\"{Secret}\"?><xml><A>1</A></xml>" },
        { "utf-16 declared on utf-8 bytes", $"<?xml version=\"1.0\" encoding=\"utf-16\"?><xml><A>{Secret}</A></xml>" },
        { "nul character", $"<xml><A>\0{Secret}</A></xml>" },
        { "bad name", $"<xml><1A>{Secret}</1A></xml>" },
        { "huge", "<xml><A>" + new string('x', CallbackXml.MaxBytes) + Secret + "</A></xml>" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Throws_a_short_reason_quickly(string name, string input)
    {
        AssertRejected(Encoding.UTF8.GetBytes(input), name);
    }

    [Fact]
    public void Empty_input_is_rejected() => AssertRejected([], "empty");

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        var bytes = Encoding.UTF8.GetBytes($"<xml><A>{Secret}</A></xml>");
        bytes[10] = 0xC3; // a lead byte followed by an ASCII byte
        AssertRejected(bytes, "invalid utf-8");
        AssertRejected([.. Encoding.UTF8.GetBytes("<xml><A>"), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("</A></xml>")], "invalid bytes");
    }

    [Fact]
    public void Doctype_gets_its_own_reason()
    {
        var error = Assert.Throws<CallbackFormatException>(() => CallbackXml.Parse(Encoding.UTF8.GetBytes(BillionLaughs())));
        Assert.Equal("DTD is not allowed", error.Message);
    }

    [Fact]
    public void Doctype_text_inside_cdata_is_just_text()
    {
        var xml = CallbackXml.Parse(Encoding.UTF8.GetBytes("<xml><Content><![CDATA[<!DOCTYPE x>]]></Content></xml>"));
        Assert.Equal("<!DOCTYPE x>", xml["Content"]);
    }

    private static void AssertRejected(byte[] input, string name)
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<CallbackFormatException>(() => CallbackXml.Parse(input));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{name} took {watch.Elapsed}");
        Assert.DoesNotContain(Secret, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("passwd", error.Message);
        Assert.True(error.Message.Length < 60, error.Message);
    }

    internal static string BillionLaughs()
    {
        var dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++)
            dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        return dtd.Append($"]><xml><A>&lol9;{Secret}</A></xml>").ToString();
    }
}

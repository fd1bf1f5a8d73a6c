using System.Diagnostics;
using System.Text;
using WecomBridge.Callbacks.Parsing;
using WecomBridge.Contracts.Callbacks;
using WecomBridge.Messaging;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

/// <summary>
/// Signed content is never refused: whatever its shape, both parsers return UnrecognizedCallbackReceived with the
/// raw text (nothing parsed, no entity expanded), quickly, with a short reason that holds no payload.
/// </summary>
public class SignedContentTests
{
    private const string Secret = "SECRETPAYLOAD";

    [Theory]
    [InlineData("<xml><CreateTime>1</CreateTime><Event>subscribe</Event></xml>", "missing MsgType")]
    [InlineData("<xml><CreateTime>1</CreateTime><MsgType></MsgType></xml>", "missing MsgType")]
    public void A_missing_msg_type_is_kept_raw(string xml, string reason)
    {
        foreach (var parsed in BothParsers(Encoding.UTF8.GetBytes(xml)))
        {
            var unrecognized = AssertRaw(parsed, xml, reason);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1), unrecognized.OccurredAt);
            Assert.Null(unrecognized.MsgType);
        }
    }

    [Theory]
    [InlineData("<xml><MsgType>event</MsgType><Event>subscribe</Event></xml>", "missing CreateTime")]
    [InlineData("<xml><MsgType>event</MsgType><CreateTime></CreateTime></xml>", "missing CreateTime")]
    [InlineData("<xml><MsgType>event</MsgType><CreateTime>yesterday</CreateTime></xml>", "invalid CreateTime")]
    [InlineData("<xml><MsgType>event</MsgType><CreateTime>-5</CreateTime></xml>", "invalid CreateTime")]
    [InlineData("<xml><MsgType>event</MsgType><CreateTime>99999999999999999</CreateTime></xml>", "invalid CreateTime")]
    public void A_missing_or_invalid_create_time_is_kept_raw_at_the_received_time(string xml, string reason)
    {
        foreach (var parsed in BothParsers(Encoding.UTF8.GetBytes(xml)))
        {
            var unrecognized = AssertRaw(parsed, xml, reason);
            Assert.Equal(ReceivedAt, unrecognized.OccurredAt);
            Assert.Equal("event", unrecognized.MsgType);
        }
    }

    [Fact]
    public void A_known_event_without_create_time_is_kept_raw_under_the_id_it_will_always_have()
    {
        var xml = WeComEvent("<Event>change_external_tag</Event><Id>et1</Id><TagType>tag</TagType><ChangeType>create</ChangeType>")
            .Replace($"<CreateTime>{CreateTime}</CreateTime>", "");

        var first = ParseWeCom(xml);

        AssertRaw(first, xml, "missing CreateTime");
        Assert.Equal(first.EventId, ParseWeCom(xml).EventId);
    }

    [Theory]
    [InlineData("not xml", $"{{\"openid\": \"{Secret}\"}}", "not well-formed XML")]
    [InlineData("wrong root", $"<root><MsgType>event</MsgType><CreateTime>1</CreateTime><A>{Secret}</A></root>", "root element must be <xml>")]
    [InlineData("truncated", $"<xml><MsgType>event</MsgType><A><![CDATA[{Secret}", "not well-formed XML")]
    [InlineData("internal entity", $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY e \"{Secret}\">]><xml><MsgType>event</MsgType><A>&e;</A></xml>", "DTD is not allowed")]
    [InlineData("external entity", "<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><MsgType>&x;</MsgType><CreateTime>1</CreateTime></xml>", "DTD is not allowed")]
    [InlineData("whitespace", "  \r\n ", "empty document")]
    [InlineData("empty", "", "empty document")]
    public void Content_that_does_not_read_as_xml_is_kept_raw_as_it_came(string name, string text, string reason)
    {
        foreach (var parsed in BothParsers(Encoding.UTF8.GetBytes(text)))
        {
            var unrecognized = AssertRaw(parsed, text, reason, name);
            Assert.Equal(ReceivedAt, unrecognized.OccurredAt);
            Assert.Equal((null, null, null), (unrecognized.MsgType, unrecognized.Event, unrecognized.ChangeType));
            Assert.Contains(":raw:", parsed.DedupeKey);
        }
    }

    [Fact]
    public void A_billion_laughs_is_kept_raw_unexpanded()
    {
        var text = HostileXmlTests.BillionLaughs();
        foreach (var parsed in BothParsers(Encoding.UTF8.GetBytes(text)))
        {
            var unrecognized = AssertRaw(parsed, text, "DTD is not allowed");
            Assert.DoesNotContain("lollollol", unrecognized.RawXml);
        }
    }

    [Fact]
    public void Invalid_utf8_is_kept_as_exact_bytes_in_base64()
    {
        byte[] bytes = [.. "<xml><MsgType>text</MsgType><Content>"u8, 0xC3, 0x28, 0xFF, .. "</Content></xml>"u8];

        foreach (var parsed in BothParsers(bytes))
        {
            var unrecognized = Assert.IsType<UnrecognizedCallbackReceived>(parsed.Event);
            Assert.Equal("invalid UTF-8", unrecognized.Reason);
            Assert.Equal(bytes, Convert.FromBase64String(unrecognized.RawBase64!));
            Assert.Equal("<xml><MsgType>text</MsgType><Content>\uFFFD(\uFFFD</Content></xml>", unrecognized.RawXml);
        }
    }

    [Fact]
    public void Nesting_far_beyond_anything_tencent_sends_is_kept_raw()
    {
        var readable = WeComEvent("<Event>deep</Event>" + Nest(CallbackXml.MaxDepth, "x"));
        var tooDeep = WeComEvent("<Event>deep</Event>" + Nest(CallbackXml.MaxDepth + 1, "x"));

        Assert.Equal("unknown Event", Assert.IsType<UnrecognizedCallbackReceived>(ParseWeCom(readable).Event).Reason);
        foreach (var parsed in BothParsers(Encoding.UTF8.GetBytes(tooDeep)))
            AssertRaw(parsed, tooDeep, "elements nested too deeply");
    }

    [Theory]
    [MemberData(nameof(HostileXmlTests.Cases), MemberType = typeof(HostileXmlTests))]
    public void Every_hostile_document_is_kept_raw_quickly_and_the_reason_holds_no_payload(string name, string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var watch = Stopwatch.StartNew();
        var parsed = BothParsers(bytes).ToList();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"{name} took {watch.Elapsed}");

        foreach (var p in parsed)
        {
            var unrecognized = Assert.IsType<UnrecognizedCallbackReceived>(p.Event);
            Assert.Equal(input.StartsWith('\uFEFF') ? input[1..] : input, unrecognized.RawXml);
            Assert.DoesNotContain(Secret, unrecognized.Reason, StringComparison.OrdinalIgnoreCase);
            Assert.True(unrecognized.Reason.Length < 60, unrecognized.Reason);
        }
    }

    private static string Nest(int levels, string text) =>
        string.Concat(Enumerable.Range(0, levels).Select(i => $"<L{i}>")) + text + string.Concat(Enumerable.Range(0, levels).Reverse().Select(i => $"</L{i}>"));

    private static IEnumerable<ParsedCallback> BothParsers(byte[] content)
    {
        yield return WeComCallbackParser.Parse(content, "acme", "crm", "ww1", ReceivedAt);
        yield return OfficialAccountCallbackParser.Parse(content, "brand", "wx1", ReceivedAt);
    }

    private static UnrecognizedCallbackReceived AssertRaw(ParsedCallback parsed, string text, string reason, string? name = null)
    {
        var unrecognized = Assert.IsType<UnrecognizedCallbackReceived>(parsed.Event);
        Assert.True(reason == unrecognized.Reason, $"{name}: {unrecognized.Reason}");
        Assert.Equal(text, unrecognized.RawXml);
        Assert.Null(unrecognized.RawBase64);
        Assert.Equal(parsed.EventId, unrecognized.EventId);
        Assert.Equal(EventIds.Of(parsed.DedupeKey), parsed.EventId);
        Assert.Equal(ReceivedAt, unrecognized.ReceivedAt);
        return unrecognized;
    }
}

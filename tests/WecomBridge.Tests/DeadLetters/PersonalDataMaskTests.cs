using System.Text;
using Microsoft.Extensions.Options;
using WecomBridge.DeadLetters;

namespace WecomBridge.Tests.DeadLetters;

public class PersonalDataMaskTests
{
    private readonly PersonalDataMask _mask = new(Options.Create(new DeadLetterOptions { MaskedFields = ["secretNote"] }));

    [Fact]
    public void Personal_fields_are_masked_at_any_depth_and_ids_stay()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"messageId":"m1","kind":"customer-task","customerTask":{"sender":"zhangsan","externalUserIds":["wmA"],
             "text":"Spring offer, Alice","attachments":[{"type":"link","title":"For Alice","url":"https://x.example/a"}]},
             "Name":"Bob","SecretNote":"x","contact":{"remarkMobiles":["138001"],"gender":1}}
            """);
        var masked = _mask.Body(body)!.ToJsonString();
        Assert.DoesNotContain("Alice", masked);
        Assert.DoesNotContain("Bob", masked);
        Assert.DoesNotContain("138001", masked);
        Assert.Contains("\"sender\":\"zhangsan\"", masked);
        Assert.Contains("\"externalUserIds\":[\"wmA\"]", masked);
        Assert.Contains("\"SecretNote\":\"***\"", masked);
        Assert.Contains("\"gender\":\"***\"", masked);
        Assert.Equal("failed for *** and ***", _mask.Fault("failed for Spring offer, Alice and 13800138000", body));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("{\"a\":")]
    public void A_body_that_is_not_json_is_not_shown(string body) => Assert.Null(_mask.Body(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void A_bare_string_is_free_text() =>
        Assert.Equal("\"***\"", _mask.Body("\"Alice\""u8)!.ToJsonString());
}

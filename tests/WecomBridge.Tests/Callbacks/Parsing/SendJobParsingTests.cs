using WecomBridge.Callbacks.Parsing;
using WecomBridge.Contracts.Followers;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class SendJobParsingTests
{
    [Theory]
    [InlineData("success", "success")]
    [InlineData("failed:user block", "user_blocked")]
    [InlineData("failed: system failed", "system_failed")]
    [InlineData("failed:freq limit", "rate_limited")]
    [InlineData("failed:something new", "failed")]
    [InlineData("queued", "unknown")]
    public void Template_send_job_finished_normalizes_the_status(string status, string outcome)
    {
        var finished = OaEventOf<TemplateSendJobFinished>(
            $"<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200163836</MsgID><Status><![CDATA[{status}]]></Status>");

        Assert.Equal(("200163836", status, outcome, "oOPENID"), (finished.MsgId, finished.Status, finished.Outcome, finished.OpenId));
    }

    [Fact]
    public void Mass_send_job_finished_carries_all_counts()
    {
        var finished = OaEventOf<MassSendJobFinished>("<Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>1988</MsgID>"
            + "<Status><![CDATA[send success]]></Status><TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount>"
            + "<CopyrightCheckResult><Count>2</Count><ResultList><item><ArticleIdx>1</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>2</AuditState>"
            + "<OriginalArticleUrl><![CDATA[Url_1]]></OriginalArticleUrl><OriginalArticleType>1</OriginalArticleType><CanReprint>1</CanReprint>"
            + "<NeedReplaceContent>1</NeedReplaceContent><NeedShowReprintSource>1</NeedShowReprintSource></item></ResultList><CheckState>2</CheckState></CopyrightCheckResult>"
            + "<ArticleUrlResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s?__biz=1]]></ArticleUrl></item></ResultList></ArticleUrlResult>");

        Assert.Equal(("1988", "send success", "success", (int?)null), (finished.MsgId, finished.Status, finished.Outcome, finished.ErrorCode));
        Assert.Equal((100, 80, 75, 5), (finished.TotalCount!.Value, finished.FilterCount!.Value, finished.SentCount!.Value, finished.ErrorCount!.Value));
        Assert.Equal(2, finished.CopyrightCheckState);
        Assert.Equal(["https://mp.weixin.qq.com/s?__biz=1"], finished.ArticleUrls);
    }

    [Theory]
    [InlineData("send fail", "failed", null)]
    [InlineData("err(10001)", "error", 10001)]
    [InlineData("err(x)", "error", null)]
    [InlineData("other", "unknown", null)]
    public void Mass_send_outcomes(string status, string outcome, int? code) =>
        Assert.Equal((outcome, code), SendJobEvents.MassOutcome(status));
}

using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Fakes;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;
using WecomBridge.WeCom.Tokens;

namespace WecomBridge.Tests.WeCom;

/// <summary>Calls that create something are repeated only when they certainly were not done.</summary>
public sealed class WeComCreateRetryTests : IDisposable
{
    private const string Template = "/cgi-bin/externalcontact/add_msg_template";
    private const string Welcome = "/cgi-bin/externalcontact/send_welcome_msg";
    private const string AppMessage = "/cgi-bin/message/send";
    private const string Moment = "/cgi-bin/externalcontact/add_moment_task";
    private readonly WeComFake _fake = WeComFake.Start();
    private readonly ApiHost _app;

    public WeComCreateRetryTests() => _app = ApiHost.Start(_fake.BaseUrl);

    private Task<MsgTemplateResult> AddTemplate() => _app.WeCom.AddMsgTemplateAsync(ApiHost.Contact,
        new MsgTemplateRequest(ExternalUserIds: ["wmAlice"], Sender: "zhangsan", Text: new TextContent("hello")));

    [Fact]
    public async Task A_connection_dropped_after_sending_is_not_retried()
    {
        _fake.Faults.DropConnection(Welcome, times: 1);
        var code = _fake.IssueWelcomeCode("zhangsan", "wmAlice");

        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _app.WeCom.SendWelcomeMessageAsync(ApiHost.Contact, new WelcomeMessageRequest(code, new TextContent("Hi"))));

        Assert.Equal((ApiErrorClass.Transient, true, (int?)null), (e.Class, e.OutcomeUnknown, e.ErrCode));
        Assert.Equal(1, _fake.Journal.Count(Welcome));
    }

    [Fact]
    public async Task An_http_5xx_is_not_retried()
    {
        _fake.Faults.HttpStatus(502, Template, times: 1);

        var e = await Assert.ThrowsAsync<ApiException>(AddTemplate);

        Assert.Equal((true, (int?)502), (e.OutcomeUnknown, e.HttpStatus));
        Assert.Equal(1, _fake.Journal.Count(Template));
        Assert.Empty(_fake.Data.MsgTemplates);
    }

    [Fact]
    public async Task An_unreadable_answer_is_not_retried()
    {
        _fake.Faults.EmptyResponse(Template, times: 1);

        var e = await Assert.ThrowsAsync<ApiException>(AddTemplate);

        Assert.True(e.OutcomeUnknown);
        Assert.Equal(1, _fake.Journal.Count(Template));
    }

    [Fact]
    public async Task A_timeout_is_not_retried()
    {
        using var app = ApiHost.Start(_fake.BaseUrl, settings: new Dictionary<string, string?> { ["ApiClients:AttemptTimeout"] = "00:00:01" });
        await app.WeCom.GetCorpTagsAsync(ApiHost.App); // the token is there: only the send can time out
        _fake.Faults.Latency(TimeSpan.FromSeconds(5), AppMessage, times: 1);

        var e = await Assert.ThrowsAsync<ApiException>(() => app.WeCom.SendAppMessageAsync(ApiHost.App,
            new AppMessageRequest("zhangsan", null, null, "text", new TextContent("report"))));

        Assert.Equal((AppMessage, true), (e.Path, e.OutcomeUnknown));
        // The fake journals a call when it answers, and this one was abandoned: count what the client sent.
        Assert.Equal(1, app.Logs.Lines.Count(l => l.Contains("Sending HTTP request POST") && l.Contains("message/send")));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(45033)]
    public async Task An_errcode_that_means_not_done_is_retried(int errcode)
    {
        _fake.Faults.ErrCode(errcode, Moment, times: 1);

        var jobId = await _app.WeCom.AddMomentTaskAsync(ApiHost.Contact, new MomentTaskRequest(new TextContent("hi")));

        Assert.False(string.IsNullOrEmpty(jobId));
        Assert.Equal(2, _fake.Journal.Count(Moment));
        Assert.Single(_fake.Data.MomentJobs);
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_and_the_create_retried_once()
    {
        await _app.WeCom.GetCorpTagsAsync(ApiHost.Contact);
        _fake.Faults.ExpireTokens();

        await AddTemplate();

        Assert.Equal([42001, 0], _fake.Journal.For(Template).Select(e => e.ErrCode ?? -99));
        Assert.Single(_fake.Data.MsgTemplates);
    }

    [Fact]
    public async Task A_create_that_could_not_connect_is_retried_and_fails_as_certainly_not_sent()
    {
        var prefix = ApiHost.NewPrefix();
        using var app = ApiHost.Start("http://127.0.0.1:" + Infrastructure.TestServers.FreePort(), prefix: prefix);
        var now = DateTimeOffset.UtcNow;
        await app.Services.GetRequiredService<IAccessTokenStore>()
            .SetAsync(prefix + ApiHost.Contact.TokenKey, new CachedToken("cached", now.AddHours(1), now.AddHours(2)), TimeSpan.FromHours(2));

        var e = await Assert.ThrowsAsync<ApiException>(() => app.WeCom.SendWelcomeMessageAsync(ApiHost.Contact, new WelcomeMessageRequest("x")));

        Assert.Equal((Welcome, ApiErrorClass.Transient, false), (e.Path, e.Class, e.OutcomeUnknown));
        Assert.Equal(3, app.Logs.Lines.Count(l => l.Contains("Sending HTTP request POST")));
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }
}

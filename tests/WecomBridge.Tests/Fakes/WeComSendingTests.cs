namespace WecomBridge.Tests.Fakes;

public sealed class WeComSendingTests : IDisposable
{
    private readonly WeComFakeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Add_msg_template_returns_msgid_and_fail_list_then_send_results()
    {
        var token = await _f.TokenAsync();
        var created = await _f.PostAsync("/cgi-bin/externalcontact/add_msg_template",
            new { external_userid = new[] { "wmAlice", "wmNobody" }, text = new { content = "Hello" } }, token);
        Assert.Equal(0, created.ErrCode());
        Assert.Equal("wmNobody", Assert.Single(created["fail_list"]!.AsArray())!.GetValue<string>());

        var results = await _f.PostAsync("/cgi-bin/externalcontact/get_groupmsg_send_result",
            new { msgid = created.Str("msgid"), userid = "zhangsan" }, token);
        var row = Assert.Single(results["send_list"]!.AsArray())!;
        Assert.Equal("wmAlice", row.Str("external_userid"));
        Assert.Equal(0, row["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Welcome_code_works_within_20_seconds_and_only_once()
    {
        var token = await _f.TokenAsync();
        var code = _f.Fake.IssueWelcomeCode("zhangsan", "wmAlice");
        _f.Clock.Advance(TimeSpan.FromSeconds(19));
        var body = new { welcome_code = code, text = new { content = "Welcome" } };
        Assert.Equal(0, (await _f.PostAsync("/cgi-bin/externalcontact/send_welcome_msg", body, token)).ErrCode());
        Assert.Equal(41051, (await _f.PostAsync("/cgi-bin/externalcontact/send_welcome_msg", body, token)).ErrCode());
        Assert.Equal("wmAlice", Assert.Single(_f.Fake.Data.SentWelcomeMessages).To);
    }

    [Fact]
    public async Task Welcome_code_expires_after_20_seconds()
    {
        var token = await _f.TokenAsync();
        var code = _f.Fake.IssueWelcomeCode("zhangsan", "wmAlice");
        _f.Clock.Advance(TimeSpan.FromSeconds(21));
        var answer = await _f.PostAsync("/cgi-bin/externalcontact/send_welcome_msg", new { welcome_code = code, text = new { content = "Hi" } }, token);
        Assert.Equal(41051, answer.ErrCode());
    }

    [Fact]
    public async Task Message_send_reports_invalid_users_and_fails_when_all_are_invalid()
    {
        var token = await _f.TokenAsync();
        var some = await _f.PostAsync("/cgi-bin/message/send",
            new { touser = "zhangsan|ghost", msgtype = "text", agentid = 1000002, text = new { content = "Hi" } }, token);
        Assert.Equal(0, some.ErrCode());
        Assert.Equal("ghost", some.Str("invaliduser"));
        Assert.NotEmpty(some.Str("msgid"));
        var none = await _f.PostAsync("/cgi-bin/message/send",
            new { touser = "ghost", msgtype = "text", agentid = 1000002, text = new { content = "Hi" } }, token);
        Assert.Equal(81013, none.ErrCode());
    }

    [Fact]
    public async Task Moment_task_creates_a_moment_that_lists_and_reports()
    {
        var token = await _f.TokenAsync();
        var job = await _f.PostAsync("/cgi-bin/externalcontact/add_moment_task",
            new { text = new { content = "New arrivals" }, visible_range = new { sender_list = new { user_list = new[] { "lisi", "ghost" } } } }, token);
        var result = await _f.GetAsync($"/cgi-bin/externalcontact/get_moment_task_result?jobid={job.Str("jobid")}", token);
        Assert.Equal(3, result["status"]!.GetValue<int>());
        Assert.Equal("ghost", result["result"]!["invalid_sender_list"]!["user_list"]![0]!.GetValue<string>());
        var momentId = result["result"]!.Str("moment_id");

        var now = _f.Clock.GetUtcNow().ToUnixTimeSeconds();
        var list = await _f.PostAsync("/cgi-bin/externalcontact/get_moment_list", new { start_time = now - 60, end_time = now + 60 }, token);
        Assert.Equal(momentId, Assert.Single(list["moment_list"]!.AsArray())!.Str("moment_id"));
        var tasks = await _f.PostAsync("/cgi-bin/externalcontact/get_moment_task", new { moment_id = momentId }, token);
        Assert.Equal("lisi", Assert.Single(tasks["task_list"]!.AsArray())!.Str("userid"));
    }

    [Fact]
    public async Task Moment_comments_are_filtered_by_member()
    {
        var token = await _f.TokenAsync();
        var answer = await _f.PostAsync("/cgi-bin/externalcontact/get_moment_comments", new { moment_id = "momSpring", userid = "zhangsan" }, token);
        Assert.Equal("wmAlice", Assert.Single(answer["comment_list"]!.AsArray())!.Str("external_userid"));
        Assert.Equal(2, answer["like_list"]!.AsArray().Count);
    }
}

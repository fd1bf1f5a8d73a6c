using WecomBridge.Fakes;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Tests.WeCom;

public sealed class WeComSendingClientTests : IDisposable
{
    private readonly WeComFake _fake = WeComFake.Start();
    private readonly ApiHost _app;

    public WeComSendingClientTests() => _app = ApiHost.Start(_fake.BaseUrl);

    [Fact]
    public async Task A_mass_send_task_is_created_and_its_results_read_page_by_page()
    {
        var task = await _app.WeCom.AddMsgTemplateAsync(ApiHost.Contact, new MsgTemplateRequest(
            ExternalUserIds: ["wmAlice", "wmBob", "wmNobody"], Sender: "zhangsan", Text: new TextContent("春季促销 spring sale")));

        Assert.Equal(["wmNobody"], task.FailList);
        var rows = await _app.WeCom.GetGroupMsgSendResultAsync(ApiHost.Contact, task.MsgId, "zhangsan", pageSize: 1).ToListAsync();
        Assert.Equal(["wmAlice", "wmBob"], rows.Select(r => r.ExternalUserId));
        Assert.All(rows, r => Assert.Equal(0, r.Status));
        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/externalcontact/get_groupmsg_send_result"));
        Assert.Contains("\"sender\":\"zhangsan\"", Assert.Single(_fake.Journal.For("/cgi-bin/externalcontact/add_msg_template")).Body);
    }

    [Fact]
    public async Task A_welcome_message_goes_out_once_per_code()
    {
        var code = _fake.IssueWelcomeCode("zhangsan", "wmAlice");
        var welcome = new WelcomeMessageRequest(code, new TextContent("Welcome!"));

        await _app.WeCom.SendWelcomeMessageAsync(ApiHost.Contact, welcome);
        var again = await Assert.ThrowsAsync<ApiException>(() => _app.WeCom.SendWelcomeMessageAsync(ApiHost.Contact, welcome));

        Assert.Equal("wmAlice", Assert.Single(_fake.Data.SentWelcomeMessages).To);
        Assert.Equal((41051, ApiErrorClass.Permanent), (again.ErrCode, again.Class));
    }

    [Fact]
    public async Task An_app_message_carries_the_apps_agent_id_and_reports_invalid_users()
    {
        var result = await _app.WeCom.SendAppMessageAsync(ApiHost.App,
            new AppMessageRequest("zhangsan|ghost", null, null, "text", new TextContent("Daily report ready")));

        Assert.Equal("ghost", result.InvalidUser);
        Assert.False(string.IsNullOrEmpty(result.MsgId));
        Assert.Contains("\"agentid\":1000002", Assert.Single(_fake.Journal.For("/cgi-bin/message/send")).Body);
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }
}

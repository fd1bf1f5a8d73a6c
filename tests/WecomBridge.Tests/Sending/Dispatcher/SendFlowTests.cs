using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>Each send kind end to end: command on RabbitMQ → dispatcher → the fake API, status in Redis.</summary>
public sealed class SendFlowTests(SendFlowTests.Fixture app) : IClassFixture<SendFlowTests.Fixture>
{
    public sealed class Fixture() : IAsyncLifetime
    {
        /// <summary>
        /// A corp key only this fixture's dispatcher knows: ExternalContactAdded goes to a shared event exchange, and every
        /// dispatcher running beside this one (its own fake, the same Redis) would otherwise take the welcome and fail it.
        /// </summary>
        public static readonly string WelcomeCorp = "w" + Guid.NewGuid().ToString("N")[..8];

        public DispatcherApp App { get; } = new(new Dictionary<string, string?>
        {
            [$"WeCom:Corps:{WelcomeCorp}:CorpId"] = "wwfakecorp0000001",
            [$"WeCom:Corps:{WelcomeCorp}:ContactSecret"] = "contact-secret",
            [$"WeCom:Corps:{WelcomeCorp}:Apps:crm:AgentId"] = "1000002",
            [$"WeCom:Corps:{WelcomeCorp}:Apps:crm:Secret"] = "app-secret",
            [$"WeCom:Corps:{WelcomeCorp}:Apps:crm:Token"] = "DemoToken123",
            [$"WeCom:Corps:{WelcomeCorp}:Apps:crm:EncodingAesKey"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            [$"WeCom:Corps:{WelcomeCorp}:Apps:crm:Welcome:default:Text"] = "Hi, thanks for adding us",
        });
        public Task InitializeAsync() => Task.FromResult(App.Services);
        public Task DisposeAsync() => App.DisposeAsync().AsTask();
    }

    private DispatcherApp App => app.App;

    [Fact]
    public async Task A_customer_task_creates_one_add_msg_template_with_the_customers_and_content()
    {
        var send = Sends.CustomerTask("zhangsan", "wmAlice", "wmBob");
        await App.PublishAsync(send);

        var status = await App.FinishedAsync(send.MessageId);
        Assert.Equal((SendStates.Sent, 1), (status.State, status.Attempts));
        var task = Assert.Single(App.WeCom.Data.MsgTemplates, t => t.MsgId == status.MsgId);
        Assert.Equal("single", task.Request["chat_type"]!.ToString());
        Assert.Equal(["wmAlice", "wmBob"], task.Request["external_userid"]!.AsArray().Select(n => n!.ToString()));
        Assert.Equal("Spring sale", task.Request["text"]!["content"]!.ToString());
    }

    [Fact]
    public async Task A_group_task_names_the_chats_and_carries_its_link()
    {
        var send = Sends.GroupTask("zhangsan", "wrChatVip");
        await App.PublishAsync(send);

        var status = await App.FinishedAsync(send.MessageId);
        Assert.True(status.State == SendStates.Sent, status.ToString());
        var task = Assert.Single(App.WeCom.Data.MsgTemplates, t => t.MsgId == status.MsgId);
        Assert.Equal("group", task.Request["chat_type"]!.ToString());
        Assert.Equal("https://example.com/sale", task.Request["attachments"]![0]!["link"]!["url"]!.ToString());
    }

    [Fact]
    public async Task A_moment_task_gives_the_jobid_as_msg_id()
    {
        var send = Sends.MomentTask();
        await App.PublishAsync(send);

        var status = await App.FinishedAsync(send.MessageId);
        Assert.Equal(SendStates.Sent, status.State);
        Assert.Contains(App.WeCom.Data.MomentJobs, j => j.JobId == status.MsgId);
    }

    [Fact]
    public async Task An_employee_message_goes_from_the_app_with_the_duplicate_check_on()
    {
        var send = Sends.EmployeeMessage("lisi", "nobody");
        await App.PublishAsync(send);

        var status = await App.FinishedAsync(send.MessageId);
        Assert.Equal(SendStates.Sent, status.State);
        Assert.Equal(["nobody"], status.FailedRecipients);
        var sent = Assert.Single(App.WeCom.Journal.For("/cgi-bin/message/send"), e => e.Body.Contains("Please call Alice"));
        Assert.Contains("\"agentid\":1000002", sent.Body);
        Assert.Contains("\"enable_duplicate_check\":1", sent.Body);
    }

    [Fact]
    public async Task A_template_message_carries_the_message_id_as_client_msg_id()
    {
        var send = Sends.Template();
        await App.PublishAsync(send);

        var status = await App.FinishedAsync(send.MessageId);
        Assert.Equal(SendStates.Sent, status.State);
        var sent = Assert.Single(App.OfficialAccount.Data.SentTemplateMessages, m => m.MsgId == status.MsgId);
        Assert.Equal(send.MessageId, sent.Request["client_msg_id"]!.ToString());
    }

    [Fact]
    public async Task A_customer_service_message_goes_inside_the_window_and_fails_with_45015_outside_it()
    {
        App.OfficialAccount.Data.Follower("oBob")!.LastInteraction = DateTimeOffset.UtcNow;
        var inside = Sends.CustomerService("oBob");
        var outside = Sends.CustomerService("oCarol");
        await App.PublishAsync(inside);
        await App.PublishAsync(outside);

        Assert.Equal(SendStates.Sent, (await App.FinishedAsync(inside.MessageId)).State);
        var failed = await App.FinishedAsync(outside.MessageId);
        Assert.Equal((SendStates.Failed, 45015), (failed.State, failed.ErrCode));
    }

    [Fact]
    public async Task A_command_delivered_twice_is_sent_once()
    {
        var send = Sends.CustomerTask("lisi", "wmCarol");
        await App.PublishAsync(send);
        await App.FinishedAsync(send.MessageId);
        await App.PublishAsync(send);
        await App.PublishAsync(send);

        var again = Sends.CustomerTask("lisi", "wmCarol"); // a marker: once it is done, the copies before it were consumed
        await App.PublishAsync(again);
        await App.FinishedAsync(again.MessageId);
        Assert.Single(App.WeCom.Data.MsgTemplates, t => t.MsgId == (App.StatusAsync(send.MessageId).Result!.MsgId));
    }

    [Fact]
    public async Task A_contact_added_with_a_welcome_code_gets_the_configured_welcome_once()
    {
        var code = App.WeCom.IssueWelcomeCode("zhangsan", "wmAlice");
        var now = DateTimeOffset.UtcNow;
        var added = new ExternalContactAdded(Guid.NewGuid().ToString("N"), Fixture.WelcomeCorp, "crm", "wwfakecorp0000001", now, now, "zhangsan", "wmAlice", null, code);
        await App.PublishAsync(added, added.EventId);
        await App.PublishAsync(added, added.EventId);

        var status = await App.FinishedAsync("w" + added.EventId);
        Assert.Equal(SendStates.Sent, status.State);
        await Eventually.True(() => App.WeCom.Journal.Count("/cgi-bin/externalcontact/send_welcome_msg") >= 1);
        var welcome = Assert.Single(App.WeCom.Data.SentWelcomeMessages, m => m.Request["welcome_code"]!.ToString() == code);
        Assert.Equal("Hi, thanks for adding us", welcome.Request["text"]!["content"]!.ToString());
    }

    [Fact]
    public async Task A_welcome_past_its_20_seconds_is_failed_without_a_call()
    {
        var request = new WelcomeRequested(Sends.NewId(), "acme", "crm", DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(-10),
            new WelcomeMessage("CODE_TOO_LATE", "hello", null));
        await App.PublishAsync(request, request.MessageId);

        var status = await App.FinishedAsync(request.MessageId);
        Assert.Equal(SendStates.Failed, status.State);
        Assert.DoesNotContain(App.WeCom.Journal.For("/cgi-bin/externalcontact/send_welcome_msg"), e => e.Body.Contains("CODE_TOO_LATE"));
    }

    [Fact]
    public async Task A_welcome_asked_for_through_the_api_is_sent_and_a_used_code_fails_with_41051()
    {
        var code = App.WeCom.IssueWelcomeCode("lisi", "wmBob");
        var first = new WelcomeRequested(Sends.NewId(), "acme", "crm", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(20), new WelcomeMessage(code, "hello", null));
        var second = first with { MessageId = Sends.NewId() };
        await App.PublishAsync(first, first.MessageId);
        Assert.Equal(SendStates.Sent, (await App.FinishedAsync(first.MessageId)).State);
        await App.PublishAsync(second, second.MessageId);
        var failed = await App.FinishedAsync(second.MessageId);
        Assert.Equal((SendStates.Failed, 41051), (failed.State, failed.ErrCode));
    }
}

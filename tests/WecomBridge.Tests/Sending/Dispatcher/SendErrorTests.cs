using System.Text;
using RabbitMQ.Client;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>Every errcode class, as the dispatcher handles it (docs/wecom-protocol.md §6).</summary>
public class SendErrorTests
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const string TemplateSend = "/cgi-bin/message/template/send";

    [Fact]
    public async Task A_permanent_errcode_fails_at_once_with_it()
    {
        await using var app = new DispatcherApp();
        app.WeCom.Faults.ErrCode(40003, MsgTemplate, times: 1);
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal((SendStates.Failed, 40003, 1), (status.State, status.ErrCode, status.Attempts));
        Assert.Single(app.WeCom.Journal.For(MsgTemplate));
    }

    [Fact]
    public async Task A_busy_answer_is_retried_through_delayed_redelivery_and_then_sent()
    {
        // ApiClients:MaxAttempts 1: the client does not retry itself, so the second call is the dispatcher's redelivery.
        await using var app = new DispatcherApp(new Dictionary<string, string?> { ["ApiClients:MaxAttempts"] = "1" });
        app.WeCom.Faults.ErrCode(-1, MsgTemplate, times: 1);
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        await app.PublishAsync(send);

        await app.StateAsync(send.MessageId, SendStates.Deferred);
        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal((SendStates.Sent, 2), (status.State, status.Attempts));
        Assert.Equal(2, app.WeCom.Journal.Count(MsgTemplate));
    }

    [Fact]
    public async Task Errcode_45009_pauses_the_bucket_then_the_send_goes()
    {
        await using var app = new DispatcherApp();
        app.WeCom.Faults.ErrCode(45009, MsgTemplate, times: 1);
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        await app.PublishAsync(send);

        var paused = await app.StateAsync(send.MessageId, SendStates.Deferred);
        Assert.StartsWith("throttled", paused.Reason);
        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal((SendStates.Sent, 1), (status.State, status.Attempts)); // a throttle does not spend the budget
        var calls = app.WeCom.Journal.For(MsgTemplate);
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].Time - calls[0].Time >= TimeSpan.FromSeconds(0.9), "the bucket paused for Dispatch:ThrottlePause (1 s)");
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_once_and_the_send_goes()
    {
        await using var app = new DispatcherApp();
        var warmup = Sends.CustomerTask("zhangsan", "wmAlice");
        await app.PublishAsync(warmup);
        await app.FinishedAsync(warmup.MessageId);
        app.WeCom.Faults.ExpireTokens();

        var send = Sends.CustomerTask("zhangsan", "wmBob");
        await app.PublishAsync(send);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(send.MessageId)).State);
    }

    [Fact]
    public async Task An_unknown_outcome_of_a_task_is_ambiguous_and_never_repeated()
    {
        await using var app = new DispatcherApp();
        app.WeCom.Faults.HttpStatus(502, MsgTemplate, times: 1);
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal(SendStates.Ambiguous, status.State);
        Assert.Single(app.WeCom.Journal.For(MsgTemplate));
    }

    [Fact]
    public async Task An_unknown_outcome_of_a_template_message_is_repeated_with_the_same_client_msg_id()
    {
        await using var app = new DispatcherApp();
        app.OfficialAccount.Faults.DropConnection(TemplateSend, times: 1);
        var send = Sends.Template("oBob");
        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal(SendStates.Sent, status.State);
        Assert.All(app.OfficialAccount.Journal.For(TemplateSend).Where(call => call.Body.Length > 0), call => Assert.Contains(send.MessageId, call.Body));
        Assert.Single(app.OfficialAccount.Data.SentTemplateMessages, m => m.Request["client_msg_id"]!.ToString() == send.MessageId);
    }

    [Fact]
    public async Task After_the_retry_budget_a_send_fails_and_is_dead_lettered_with_its_reason()
    {
        await using var app = new DispatcherApp(new Dictionary<string, string?>
        {
            ["ApiClients:MaxAttempts"] = "1",
            ["Dispatch:RetryBudget"] = "2",
            ["Dispatch:RetryBaseDelay"] = "00:00:00.100",
        });
        app.WeCom.Faults.ErrCode(-1, MsgTemplate);
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal((SendStates.Failed, -1, 2), (status.State, status.ErrCode, status.Attempts));
        Assert.Contains("retry budget", status.Reason);
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var errorQueue = app.Prefix + "-send-requested_error";
        await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false); // as MassTransit declares it
        var dead = await Eventually.Get(() => channel.BasicGetAsync(errorQueue, autoAck: true), m => m is not null, what: "the dead-lettered command");
        Assert.Contains(send.MessageId, Encoding.UTF8.GetString(dead!.Body.Span));
        Assert.Contains("retry budget", Encoding.UTF8.GetString((byte[])dead.BasicProperties.Headers!["MT-Fault-Message"]!));
    }
}

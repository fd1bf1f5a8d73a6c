using WecomBridge.Contracts.Sending;
using WecomBridge.Dispatch.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Dispatch;

/// <summary>
/// Redis is killed under the dispatcher while a stream of sends is worked off, and comes back empty: every status,
/// lease, rate-limit window and cap is gone. What ended before the restart is known only from its result event, so
/// the drill counts result events (on the broker) and what the fake received, not the status in Redis.
/// </summary>
[Collection("drills")]
public class DispatcherRedisRestartDrill
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const string TemplateSend = "/cgi-bin/message/template/send";

    /// <summary>
    /// The narrow case: the call is answered while Redis is down, so its status cannot be written; Redis comes back
    /// empty and the command is tried again. The outcome kept in the process is stored; the claim is not taken again.
    /// </summary>
    [Fact]
    public async Task A_send_answered_while_Redis_is_down_is_not_sent_again_when_Redis_is_back_empty()
    {
        await using var redis = await DisposableRedis.StartAsync();
        var settings = DispatcherApp.OwnKeys(out var corp, out _);
        settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        await using var app = new DispatcherApp(settings);
        var slow = app.WeCom.Faults.Latency(TimeSpan.FromSeconds(1), MsgTemplate, times: 1);
        var send = Task(corp, "answered while Redis is down");
        await app.PublishAsync(send);

        await Eventually.True(() => app.WeCom.Faults.Uses(slow) == 1, what: "the call reached the fake");
        await redis.StopAsync();
        await Eventually.True(() => app.WeCom.Journal.Count(MsgTemplate) == 1, what: "the call answered");
        await redis.StartAgainAsync();

        var status = await app.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(60));
        Assert.Equal(SendStates.Sent, status.State);
        Assert.Equal(app.WeCom.Data.MsgTemplates.Single().MsgId, status.MsgId);
        Assert.Equal(1, app.WeCom.Journal.Count(MsgTemplate));
    }

    /// <summary>Redis away for longer than the retries in place: the command waits on the broker, not on the _error queue.</summary>
    [Fact]
    public async Task A_send_published_while_Redis_is_down_waits_and_is_sent_when_Redis_is_back()
    {
        await using var redis = await DisposableRedis.StartAsync();
        var settings = DispatcherApp.OwnKeys(out var corp, out _);
        settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        await using var app = new DispatcherApp(settings);
        _ = app.Services;
        var send = Task(corp, "published while Redis is down");

        await redis.StopAsync();
        await app.PublishAsync(send);
        await Eventually.True(() => app.App.Logs.Lines.Any(l => l.Contains($"Send {send.MessageId}: Redis unavailable")),
            TimeSpan.FromSeconds(30), "the command waiting for Redis");
        await redis.StartAgainAsync();

        var status = await app.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(60));
        Assert.Equal(SendStates.Sent, status.State);
        Assert.Equal(1, app.WeCom.Journal.Count(MsgTemplate));
    }

    private static SendRequested Task(string corp, string text)
    {
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        return send with { Corp = corp, CustomerTask = send.CustomerTask! with { Text = text } };
    }

}

using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>RabbitMQ restarts under the dispatcher while a stream of sends is being worked off.</summary>
[Collection("drills")]
public class DispatcherBrokerRestartDrill
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";

    [Fact]
    public async Task Every_send_ends_after_a_broker_restart_and_none_is_created_twice()
    {
        await using var broker = await DisposableRabbitMq.StartAsync();
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        settings["ConnectionStrings:RabbitMq"] = broker.Uri;
        settings["Dispatch:SendLease"] = "00:00:03";
        settings["Dispatch:ConcurrentSends"] = "2";
        await using var app = new DispatcherApp(settings);
        _ = app.Services;
        // Slow calls, so that sends are mid-call and queued when the broker goes.
        app.WeCom.Faults.Latency(TimeSpan.FromMilliseconds(200), MsgTemplate);
        var sends = Enumerable.Range(0, 30).Select(_ => Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp }).ToArray();
        foreach (var send in sends) await app.PublishAsync(send);

        await Eventually.True(() => app.WeCom.Journal.Count(MsgTemplate) >= 5, what: "some sends made");
        await broker.StopAsync();
        await broker.StartAgainAsync();

        var statuses = new List<SendStatus>();
        foreach (var send in sends) statuses.Add(await app.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(120)));
        var sent = statuses.Where(s => s.State == SendStates.Sent).ToList();
        Assert.Equal(sends.Length, sent.Count + statuses.Count(s => s.State == SendStates.Ambiguous));
        Assert.Equal(sent.Count, sent.Select(s => s.MsgId).Distinct().Count());
        Assert.True(app.WeCom.Data.MsgTemplates.Count <= sends.Length, $"{app.WeCom.Data.MsgTemplates.Count} tasks for {sends.Length} sends");
        Assert.Equal(app.WeCom.Data.MsgTemplates.Count, app.WeCom.Journal.Count(MsgTemplate));
    }
}

using RabbitMQ.Client;
using WecomBridge.Contracts.Sending;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Server;
using WecomBridge.Messaging;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// A dispatcher process killed (SIGKILL) while its call is at WeCom: RabbitMQ gives the command to another
/// dispatcher, which must not send it again unless WeCom drops the repeat itself.
/// </summary>
public class KilledDispatcherTests
{
    [Fact]
    public async Task A_task_whose_dispatcher_died_mid_call_is_ambiguous_and_created_once()
    {
        using var wecom = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        var slow = wecom.Faults.Latency(TimeSpan.FromSeconds(6), "/cgi-bin/externalcontact/add_msg_template", times: 1);

        await using var survivor = await KillMidCallAsync(wecom, oa, send, slow);
        var status = await survivor.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(60));

        Assert.Equal(SendStates.Ambiguous, status.State);
        await Eventually.True(() => wecom.Data.MsgTemplates.Count == 1, what: "the killed call completed at WeCom");
        Assert.Single(wecom.Journal.For("/cgi-bin/externalcontact/add_msg_template"));
    }

    [Fact]
    public async Task A_template_message_whose_dispatcher_died_mid_call_is_sent_again_and_received_once()
    {
        using var wecom = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        var send = Sends.Template("oBob");
        var slow = oa.Faults.Latency(TimeSpan.FromSeconds(6), "/cgi-bin/message/template/send", times: 1);

        await using var survivor = await KillMidCallAsync(wecom, oa, send, slow);
        var status = await survivor.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(60));

        Assert.Equal(SendStates.Sent, status.State);
        await Eventually.True(() => oa.Journal.Count("/cgi-bin/message/template/send") == 2, what: "the killed call and the repeat");
        Assert.Single(oa.Data.SentTemplateMessages, m => m.Request["client_msg_id"]!.ToString() == send.MessageId);
    }

    /// <summary>A dispatcher process takes the send and is killed once its call arrived; then an in-process one takes over.</summary>
    private static async Task<DispatcherApp> KillMidCallAsync(WeComFake wecom, OfficialAccountFake oa, SendRequested send, Fault slow)
    {
        var prefix = "kill-" + Guid.NewGuid().ToString("N")[..8];
        var settings = BridgeApp.WithServers();
        foreach (var (key, value) in DispatcherApp.Settings(wecom.BaseUrl, oa.BaseUrl, prefix)) settings[key] = value;
        settings["Dispatch:SendLease"] = "00:00:03";
        await using var doomed = new GatewayProcess(settings);
        await doomed.StartAsync();

        await PublishAsync(prefix, send);
        var fakes = new[] { wecom.Faults, oa.Faults };
        await Eventually.True(() => fakes.Sum(f => f.Uses(slow)) == 1, TimeSpan.FromSeconds(30), "the call reached the fake");
        await doomed.KillAsync();

        var survivor = new DispatcherApp(new Dictionary<string, string?> { ["Dispatch:SendLease"] = "00:00:03" }, prefix, wecom, oa);
        _ = survivor.Services;
        return survivor;
    }

    private static async Task PublishAsync(string prefix, SendRequested send)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = send.MessageId };
        await channel.BasicPublishAsync(prefix + ".send-requested", "", mandatory: true, properties, EventJson.Serialize(send));
    }
}

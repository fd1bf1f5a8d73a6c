using WecomBridge.Dispatch.Status;
using WecomBridge.Fakes.Server;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Dispatch;

/// <summary>
/// Fault drills (issue 7) at test scale: a stream of customer tasks while the fake WeCom answers 5xx, 45009, 45033
/// or slowly. Every send ends (none lost), none is created twice, and a send is ambiguous only when its call may
/// have reached WeCom.
/// </summary>
public class SendDrillTests
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const int Sends = 12;

    public static TheoryData<string> Faults => new() { "5xx", "45009", "45033", "slow" };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task During_a_fault_every_send_ends_and_none_is_created_twice(string fault)
    {
        // Its own corp: the sender's daily task bucket and the customers' caps in the shared Redis start empty.
        var settings = DispatcherApp.OwnKeys(out var corp, out _);
        settings["ApiClients:AttemptTimeout"] = "00:00:05";
        settings["Dispatch:RetryBaseDelay"] = "00:00:00.200";
        await using var app = new DispatcherApp(settings);
        // Warm up (token, connections, JIT) so that only the injected fault makes a call slow or fail.
        var warmup = global::WecomBridge.Tests.Dispatch.Sends.CustomerTask("lisi", "wmCarol") with { Corp = corp };
        await app.PublishAsync(warmup);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(warmup.MessageId)).State);
        app.WeCom.Journal.Clear();
        app.WeCom.Data.MsgTemplates.Clear();
        var injected = fault switch
        {
            "5xx" => app.WeCom.Faults.HttpStatus(503, MsgTemplate, times: 4),
            "45009" => app.WeCom.Faults.ErrCode(45009, MsgTemplate, times: 4),
            "45033" => app.WeCom.Faults.ErrCode(45033, MsgTemplate, times: 4),
            _ => app.WeCom.Faults.Latency(TimeSpan.FromSeconds(8), MsgTemplate, times: 4),
        };
        var sends = Enumerable.Range(0, Sends).Select(i => global::WecomBridge.Tests.Dispatch.Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp }).ToArray();
        foreach (var send in sends) await app.PublishAsync(send);

        var statuses = new List<SendStatus>();
        foreach (var send in sends) statuses.Add(await app.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(60)));
        Assert.True(app.WeCom.Faults.Uses(injected) == 4, $"fault used {app.WeCom.Faults.Uses(injected)} times:\n" + string.Join("\n", statuses));
        var created = app.WeCom.Data.MsgTemplates.Select(t => t.MsgId).ToList();
        var sent = statuses.Where(s => s.State == SendStates.Sent).ToList();
        Assert.Equal(sent.Count, sent.Select(s => s.MsgId).Distinct().Count());
        Assert.All(sent, s => Assert.Contains(s.MsgId, created));
        var ambiguous = statuses.Count(s => s.State == SendStates.Ambiguous);
        switch (fault)
        {
            case "45009" or "45033": // WeCom refused those calls: each send is made again later, and all go
                Assert.True(Sends == sent.Count, string.Join("\n", statuses));
                Assert.Equal(Sends, created.Count);
                break;
            case "5xx": // the outcome of a 5xx is unknown: those sends are ambiguous, never repeated
                Assert.Equal((Sends - 4, 4), (sent.Count, ambiguous));
                Assert.Equal(Sends - 4, created.Count);
                break;
            default: // a call that timed out may still be done by WeCom (the slow fake does it): ambiguous, never repeated
                Assert.Equal((Sends - 4, 4), (sent.Count, ambiguous));
                await Eventually.True(() => app.WeCom.Data.MsgTemplates.Count == Sends, what: "the slow calls completed at the fake");
                break;
        }
        Assert.Equal(Sends, app.WeCom.Journal.For(MsgTemplate).Count - (fault is "45009" or "45033" ? 4 : 0));
    }
}

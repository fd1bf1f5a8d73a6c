using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// Fault drills (issue 7) at test scale: a stream of customer tasks while the fake WeCom answers 5xx, 45009, 45033
/// or slowly. Every send ends (none lost), none is created twice, and a send is ambiguous only when its call may
/// have reached WeCom.
/// </summary>
public class SendDrillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const int Sends = 12;

    public static TheoryData<string> Faults => new() { "5xx", "45009", "45033", "slow" };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task During_a_fault_every_send_ends_and_none_is_created_twice(string fault)
    {
        // Its own corp, the sender's daily tasks and the customer cap lifted: only the fault decides what is sent (a
        // send put back by a 45009 takes the sender's daily permit again when it is tried again).
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        settings["ApiClients:AttemptTimeout"] = "00:00:05";
        settings["Dispatch:RetryBaseDelay"] = "00:00:00.200";
        await using var app = new DispatcherApp(settings);
        // Warm up (token, connections, JIT) so that only the injected fault makes a call slow or fail.
        var warmup = global::WecomBridge.Tests.Sending.Dispatcher.Sends.CustomerTask("lisi", "wmCarol") with { Corp = corp };
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
        var sends = Enumerable.Range(0, Sends).Select(i => global::WecomBridge.Tests.Sending.Dispatcher.Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp }).ToArray();
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

    /// <summary>
    /// The same faults held for 3 seconds (not 4 calls) while a steady stream of sends goes on, before, during and
    /// after: no send is lost or made twice, the sends after the fault go, and a 45009 or 45033 spends no more calls
    /// than the pause and the backoff allow.
    /// </summary>
    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fault_held_for_seconds_under_a_steady_stream_ends_every_send_once(string fault)
    {
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        settings["ApiClients:AttemptTimeout"] = "00:00:05";
        settings["Dispatch:RetryBaseDelay"] = "00:00:00.200";
        await using var app = new DispatcherApp(settings);
        var warmup = global::WecomBridge.Tests.Sending.Dispatcher.Sends.CustomerTask("lisi", "wmCarol") with { Corp = corp };
        await app.PublishAsync(warmup);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(warmup.MessageId)).State);
        app.WeCom.Journal.Clear();
        app.WeCom.Data.MsgTemplates.Clear();

        var hold = TimeSpan.FromSeconds(3);
        var held = System.Diagnostics.Stopwatch.StartNew();
        var injected = fault switch
        {
            "5xx" => app.WeCom.Faults.HttpStatus(503, MsgTemplate, lasting: hold),
            "45009" => app.WeCom.Faults.ErrCode(45009, MsgTemplate, lasting: hold),
            "45033" => app.WeCom.Faults.ErrCode(45033, MsgTemplate, lasting: hold),
            _ => app.WeCom.Faults.Latency(TimeSpan.FromSeconds(8), MsgTemplate, lasting: hold),
        };
        // The stream: one send every 100 ms for 4 s (the pace of the load, not a wait).
        var sends = new List<(SendRequested Send, bool AfterHold)>();
        using (var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100)))
            for (var i = 0; i < 40 && await pace.WaitForNextTickAsync(); i++)
            {
                var send = global::WecomBridge.Tests.Sending.Dispatcher.Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp };
                await app.PublishAsync(send);
                sends.Add((send, held.Elapsed > hold + TimeSpan.FromMilliseconds(300)));
            }

        var statuses = new List<(SendStatus Status, bool AfterHold)>();
        foreach (var (send, after) in sends) statuses.Add((await app.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(90)), after));
        var all = statuses.Select(s => s.Status).ToList();
        var report = $"fault used {app.WeCom.Faults.Uses(injected)} times:\n" + string.Join("\n", all);
        var calls = app.WeCom.Journal.For(MsgTemplate);
        var created = app.WeCom.Data.MsgTemplates.Select(t => t.MsgId).ToList();
        var sent = all.Where(s => s.State == SendStates.Sent).ToList();
        Assert.True(app.WeCom.Faults.Uses(injected) > 0, report);
        Assert.Equal(sent.Count, sent.Select(s => s.MsgId).Distinct().Count());
        Assert.All(sent, s => Assert.Contains(s.MsgId, created));
        Assert.All(statuses.Where(s => s.AfterHold), s => Assert.True(s.Status.State == SendStates.Sent, report));
        var ambiguous = all.Count(s => s.State == SendStates.Ambiguous);
        var failed = all.Where(s => s.State == SendStates.Failed).ToList();
        output.WriteLine($"{fault} held {hold.TotalSeconds} s: {sends.Count} sends ({sends.Count(s => s.AfterHold)} after the hold), " +
            $"{sent.Count} sent, {ambiguous} ambiguous, {failed.Count} failed; {calls.Count} calls, fault used {app.WeCom.Faults.Uses(injected)} times");
        switch (fault)
        {
            case "45009": // the bucket pauses 1 s per 45009 and the sends wait, unbudgeted: all go, once
                Assert.True(sends.Count == sent.Count, report);
                Assert.Equal(sends.Count, created.Count);
                // Each 45009 pauses the bucket: calls refused come in waves, one per pause, not in a hot loop.
                Assert.True(calls.Count(c => c.ErrCode == 45009) <= 2 * sends.Count, report);
                break;
            case "45033": // refused, so certainly not made: retried with backoff; a send whose budget ran out fails with its reason
                Assert.Equal(sends.Count, sent.Count + failed.Count);
                Assert.All(failed, f => Assert.Contains("retry budget", f.Reason));
                Assert.Equal(sent.Count, created.Count);
                Assert.True(calls.Count(c => c.ErrCode == 45033) <= sends.Count * 5 * 3, report); // budget × the client's attempts
                break;
            case "5xx": // every call answered 503 may have been made: ambiguous, never repeated
                Assert.Equal(calls.Count(c => c.StatusCode == 503), ambiguous);
                Assert.Equal((sends.Count - ambiguous, sent.Count), (sent.Count, created.Count));
                Assert.Equal(sends.Count, calls.Count);
                break;
            default: // every call slowed past the attempt timeout may be done by WeCom (the fake does it): ambiguous, never repeated
                Assert.Equal(app.WeCom.Faults.Uses(injected), ambiguous);
                Assert.Equal(sends.Count, sent.Count + ambiguous);
                await Eventually.True(() => app.WeCom.Data.MsgTemplates.Count == sends.Count, TimeSpan.FromSeconds(30),
                    "the slow calls completed at the fake");
                Assert.Equal(sends.Count, app.WeCom.Journal.Count(MsgTemplate));
                break;
        }
    }
}

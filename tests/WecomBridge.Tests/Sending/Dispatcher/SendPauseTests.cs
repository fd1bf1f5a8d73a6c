using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// Throttled or misconfigured is a state of the corp's sends, not a loop of each message: one SendingPaused for all
/// the messages that meet the pause, no MessageDeferred each, no retry budget spent, every message sent once after.
/// Instances share the pause through Redis; configuration errors keep the messages and turn readiness Degraded.
/// </summary>
public class SendPauseTests
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";

    private static SendRequested Task(string corp) => Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp };

    private static Task<AmqpTap> TapAsync<T>() => AmqpTap.BindAsync(TestServers.RabbitMq, BridgeEntityNameFormatter.ExchangeName(typeof(T)));

    private static async Task<JsonElement[]> OfCorpAsync(AmqpTap tap, string corp) =>
        (await tap.ReadAsync()).Where(e => e.GetProperty("corp").GetString() == corp).ToArray();

    [Fact]
    public async Task A_45009_pauses_the_corps_api_once_and_every_queued_message_waits_quietly_then_goes_once()
    {
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        settings["Dispatch:ThrottlePause"] = "00:00:05";
        settings["ApiClients:AttemptTimeout"] = "00:00:10";
        await using var pausedEvents = await TapAsync<SendingPaused>();
        await using var deferredEvents = await TapAsync<MessageDeferred>();
        await using var app = new DispatcherApp(settings);
        app.WeCom.Faults.ErrCode(45009, MsgTemplate, times: 1);
        var first = Task(corp);
        await app.PublishAsync(first);
        var pause = await app.StateAsync(first.MessageId, SendStates.Deferred);

        var queued = Enumerable.Range(0, 20).Select(_ => Task(corp)).ToArray();
        foreach (var send in queued) await app.PublishAsync(send);
        foreach (var send in queued)
        {
            var waiting = await app.StateAsync(send.MessageId, SendStates.Deferred);
            Assert.Equal(pause.DeferredUntil, waiting.DeferredUntil); // the pause's end, not a minute per message
            Assert.StartsWith($"throttled: wecom:{corp}:externalcontact/add_msg_template paused since", waiting.Reason);
        }

        var statuses = new List<SendStatus>();
        foreach (var send in queued.Prepend(first)) statuses.Add(await app.FinishedAsync(send.MessageId));
        Assert.All(statuses, s => Assert.Equal((SendStates.Sent, 1), (s.State, s.Attempts))); // no retry budget spent
        Assert.Equal(21, app.WeCom.Data.MsgTemplates.Count);
        var calls = app.WeCom.Journal.For(MsgTemplate);
        Assert.Equal((22, 45009), (calls.Count, calls[0].ErrCode));
        Assert.All(calls.Skip(1), c => Assert.True(c.Time >= pause.DeferredUntil!.Value.AddMilliseconds(-300), $"a call at {c.Time:O} in the pause"));
        var announced = await Eventually.Get(() => OfCorpAsync(pausedEvents, corp), e => e.Length > 0, what: "SendingPaused");
        var paused = Assert.Single(announced);
        Assert.Equal(("throttled", 45009), (paused.GetProperty("cause").GetString(), paused.GetProperty("errCode").GetInt32()));
        Assert.Equal(pause.DeferredUntil, paused.GetProperty("until").GetDateTimeOffset());
        Assert.Empty(await OfCorpAsync(deferredEvents, corp));
        Assert.Single(await OfCorpAsync(pausedEvents, corp));
    }

    [Fact]
    public async Task Two_dispatchers_share_the_pause_one_of_them_met()
    {
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        settings["Dispatch:ThrottlePause"] = "00:00:05";
        settings["ApiClients:AttemptTimeout"] = "00:00:10";
        await using var pausedEvents = await TapAsync<SendingPaused>();
        await using var throttled = new DispatcherApp(settings);
        // Its own queues: it sees nothing of the first instance but the shared Redis (and the same fake WeCom).
        await using var other = new DispatcherApp(settings, wecom: throttled.WeCom, oa: throttled.OfficialAccount);
        throttled.WeCom.Faults.ErrCode(45009, MsgTemplate, times: 1);
        var first = Task(corp);
        await throttled.PublishAsync(first);
        var pause = await throttled.StateAsync(first.MessageId, SendStates.Deferred);

        var sends = Enumerable.Range(0, 10).Select(_ => Task(corp)).ToArray();
        foreach (var send in sends) await other.PublishAsync(send);
        var waiting = await other.StateAsync(sends[^1].MessageId, SendStates.Deferred);
        Assert.Equal(pause.DeferredUntil, waiting.DeferredUntil);

        foreach (var send in sends)
        {
            var status = await other.FinishedAsync(send.MessageId);
            Assert.Equal((SendStates.Sent, 1), (status.State, status.Attempts));
        }
        Assert.Equal(SendStates.Sent, (await throttled.FinishedAsync(first.MessageId)).State);
        var calls = throttled.WeCom.Journal.For(MsgTemplate);
        Assert.Equal(12, calls.Count);
        Assert.All(calls.Skip(1), c => Assert.True(c.Time >= pause.DeferredUntil!.Value.AddMilliseconds(-300), $"a call at {c.Time:O} in the pause"));
        // The other instance made those sends (it logs each once the outcome is stored and announced).
        await Eventually.True(() => other.App.Logs.Lines.Count(l => l.Contains(") sent after")) == sends.Length, what: "the other's sends");
        Assert.Single(await Eventually.Get(() => OfCorpAsync(pausedEvents, corp), e => e.Length > 0, what: "SendingPaused"));
    }

    [Theory]
    [InlineData(60020, MsgTemplate, "trusted IPs")]
    [InlineData(48002, MsgTemplate, "may not call externalcontact/add_msg_template")]
    [InlineData(40001, "/cgi-bin/gettoken", "ContactSecret")]
    public async Task A_configuration_error_keeps_the_messages_and_degrades_readiness_until_it_is_fixed(int errcode, string path, string advice)
    {
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        settings["ApiClients:AttemptTimeout"] = "00:00:10"; // a slow first call on a busy machine must not make a send ambiguous
        await using var pausedEvents = await TapAsync<SendingPaused>();
        await using var resumedEvents = await TapAsync<SendingResumed>();
        await using var failedEvents = await TapAsync<MessageFailed>();
        await using var app = new DispatcherApp(settings);
        var http = app.App.CreateClient();
        // Warm up (connections, JIT) through the app secret: the contact secret's token is still to be fetched.
        var warmup = Sends.EmployeeMessage("wangwu");
        await app.PublishAsync(warmup);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(warmup.MessageId)).State);
        var fault = app.WeCom.Faults.ErrCode(errcode, path);
        var faulted = System.Diagnostics.Stopwatch.StartNew();
        var sends = Enumerable.Range(0, 5).Select(_ => Task(corp)).ToArray();
        foreach (var send in sends) await app.PublishAsync(send);

        foreach (var send in sends)
            Assert.StartsWith($"configuration: wecom:{corp}", (await app.StateAsync(send.MessageId, SendStates.Deferred)).Reason);
        // The check's own status, whatever the others (Redis, RabbitMQ) say on a busy machine (then the answer is 503).
        async Task<JsonElement> SendingCheck() =>
            (await (await http.GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("sending");
        var sending = await Eventually.Get(SendingCheck, s => s.GetProperty("status").GetString() == "Degraded", what: "readiness Degraded");
        var description = sending.GetProperty("description").GetString()!;
        Assert.Contains($"wecom:{corp}", description);
        Assert.Contains($"errcode {errcode}: ", description);
        Assert.Contains(advice, description);
        // A probe: one message is tried again after Dispatch:Pauses:ProbeInterval (2 s) and refused again; still kept.
        var refused = app.WeCom.Journal.For(path).Count(c => c.ErrCode == errcode);
        Assert.True(refused >= 1);
        await Eventually.True(() => app.WeCom.Journal.For(path).Count(c => c.ErrCode == errcode) > refused, what: "a probe");
        // Each is deferred again once the probe's refusal (and any redelivery that was passing through `sending`) is stored.
        foreach (var send in sends) await app.StateAsync(send.MessageId, SendStates.Deferred);

        app.WeCom.Faults.Remove(fault); // the operator fixed it
        foreach (var send in sends)
        {
            var status = await app.FinishedAsync(send.MessageId);
            Assert.Equal((SendStates.Sent, 1), (status.State, status.Attempts)); // the refusals spent no retry budget
        }
        // Refused: the sends in flight when the pause started, then one probe per Dispatch:Pauses:ProbeInterval (2 s).
        var probes = (int)Math.Ceiling(faulted.Elapsed / TimeSpan.FromSeconds(2)) + 1;
        Assert.InRange(app.WeCom.Journal.For(path).Count(c => c.ErrCode == errcode), refused + 1, sends.Length + probes);
        await Eventually.Get(SendingCheck, s => s.GetProperty("status").GetString() == "Healthy", what: "readiness Healthy again");
        var paused = Assert.Single(await Eventually.Get(() => OfCorpAsync(pausedEvents, corp), e => e.Length > 0, what: "SendingPaused"));
        Assert.Equal(("configuration", errcode), (paused.GetProperty("cause").GetString(), paused.GetProperty("errCode").GetInt32()));
        Assert.Contains(advice, paused.GetProperty("advice").GetString());
        Assert.Single(await Eventually.Get(() => OfCorpAsync(resumedEvents, corp), e => e.Length > 0, what: "SendingResumed"));
        Assert.Empty(await OfCorpAsync(failedEvents, corp));
    }
}

using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// Redis is killed under the dispatcher while a stream of sends is worked off, and comes back empty: every status,
/// lease, rate-limit window and cap is gone. What ended before the restart is known only from its result event, so
/// the drill counts result events (on the broker) and what the fake received, not the status in Redis.
/// Not in the serial "drills" collection: each test restarts a redis-server of its own (light to start), and the
/// drill mostly waits, so it runs beside the other test classes rather than after them.
/// </summary>
public class DispatcherRedisRestartDrill
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const string TemplateSend = "/cgi-bin/message/template/send";

    internal static readonly Dictionary<string, string> Outcomes = new()
    {
        ["wecombridge.message-sent"] = "sent",
        ["wecombridge.message-failed"] = "failed",
        ["wecombridge.message-outcome-unknown"] = "ambiguous",
    };

    [Fact]
    public async Task Every_send_ends_after_Redis_restarts_empty_and_none_is_created_twice()
    {
        await using var redis = await DisposableRedis.StartAsync();
        var taps = new Dictionary<string, AmqpTap>();
        foreach (var exchange in Outcomes.Keys) taps[exchange] = await AmqpTap.BindAsync(TestServers.RabbitMq, exchange);
        try
        {
            await RunAsync(redis, taps);
        }
        finally
        {
            foreach (var tap in taps.Values) await tap.DisposeAsync();
        }
    }

    private static async Task RunAsync(DisposableRedis redis, Dictionary<string, AmqpTap> taps)
    {
        var settings = DispatcherApp.StreamKeys(out var corp, out var account);
        settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        settings["Dispatch:SendLease"] = "00:00:03";
        settings["Dispatch:ConcurrentSends"] = "2";
        await using var app = new DispatcherApp(settings);
        _ = app.Services;
        // Slow calls, so that sends are mid-call and queued when Redis goes.
        app.WeCom.Faults.Latency(TimeSpan.FromMilliseconds(200), MsgTemplate);
        app.OfficialAccount.Faults.Latency(TimeSpan.FromMilliseconds(200), TemplateSend);
        // Each task has a text of its own, so that the fake's tasks can be told apart.
        var tasks = Enumerable.Range(0, 30).Select(i => Task(corp, $"drill task {i}")).ToArray();
        var templates = Enumerable.Range(0, 6).Select(_ => Sends.Template("oAlice") with { Account = account }).ToArray();
        for (var i = 0; i < tasks.Length; i++)
        {
            await app.PublishAsync(tasks[i]);
            if (i % 5 == 0) await app.PublishAsync(templates[i / 5]);
        }

        await Eventually.True(() => app.WeCom.Journal.Count(MsgTemplate) >= 5, what: "some sends made");
        await redis.StopAsync();
        // Held down until commands have spent their retries in place and wait on the broker.
        await Eventually.True(() => app.App.Logs.Lines.Any(l => l.Contains("Redis unavailable")), TimeSpan.FromSeconds(30),
            "a command waiting for Redis");
        await redis.StartAgainAsync(); // empty: status, leases, limiter windows and caps are gone
        var after = Task(corp, "drill task after the restart");
        await app.PublishAsync(after);

        // Every send ends, once, as sent: a result event for each (a repeat of an event carries the same event id).
        var ids = tasks.Concat(templates).Append(after).Select(s => s.MessageId).ToHashSet();
        var ended = await Eventually.Get(() => ResultsAsync(taps, ids), r => r.Count == ids.Count, TimeSpan.FromSeconds(120),
            "a result event for every send");
        Assert.All(ended, e => Assert.True(e.Value is ["sent"], $"{e.Key}: {string.Join(", ", e.Value)}"));

        // None is made twice: one call and one task per customer task, one call and one message per template message.
        var created = app.WeCom.Data.MsgTemplates.GroupBy(t => t.Request["text"]?["content"]?.ToString() ?? "").ToDictionary(g => g.Key, g => g.Count());
        Assert.All(created, c => Assert.True(c.Value == 1, $"'{c.Key}' created {c.Value} times"));
        Assert.Equal(tasks.Append(after).Select(t => t.CustomerTask!.Text!).Order(), created.Keys.Order());
        Assert.Equal(tasks.Length + 1, app.WeCom.Journal.Count(MsgTemplate));
        Assert.Equal(templates.Select(t => t.MessageId).Order(),
            app.OfficialAccount.Data.SentTemplateMessages.Select(m => m.Request["client_msg_id"]!.ToString()).Order());
        Assert.Equal(templates.Length, app.OfficialAccount.Journal.Count(TemplateSend));
    }

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

    /// <summary>
    /// The same with two dispatchers on one queue and Redis away past the retries in place: the instance that made the
    /// call keeps the command until the outcome is stored, so the other one never claims it on the empty Redis.
    /// </summary>
    [Fact]
    public async Task With_two_dispatchers_a_send_answered_while_Redis_is_down_stays_with_its_instance_and_is_sent_once()
    {
        await using var redis = await DisposableRedis.StartAsync();
        var settings = DispatcherApp.OwnKeys(out var corp, out _);
        settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        var prefix = "redis-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = new DispatcherApp(settings, prefix);
        await using var second = new DispatcherApp(settings, prefix, first.WeCom, first.OfficialAccount);
        _ = first.Services;
        _ = second.Services;
        var wecom = first.WeCom;
        var slow = wecom.Faults.Latency(TimeSpan.FromSeconds(1), MsgTemplate, times: 1);
        var send = Task(corp, "answered while Redis is down, two dispatchers");
        await first.PublishAsync(send);

        await Eventually.True(() => wecom.Faults.Uses(slow) == 1, what: "the call reached the fake");
        await redis.StopAsync();
        await Eventually.True(() => wecom.Journal.Count(MsgTemplate) == 1, what: "the call answered");
        await Eventually.True(() => new[] { first, second }.Any(a => a.App.Logs.Lines.Any(l => l.Contains("its outcome is kept here"))),
            TimeSpan.FromSeconds(60), "the outcome held by its instance");
        await redis.StartAgainAsync();

        var status = await first.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(60));
        Assert.Equal(SendStates.Sent, status.State);
        Assert.Equal(wecom.Data.MsgTemplates.Single().MsgId, status.MsgId);
        Assert.Equal(1, wecom.Journal.Count(MsgTemplate));
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

    internal static SendRequested Task(string corp, string text)
    {
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        return send with { Corp = corp, CustomerTask = send.CustomerTask! with { Text = text } };
    }

    /// <summary>Message id → the outcomes of its result events (each distinct event id once).</summary>
    internal static async Task<Dictionary<string, List<string>>> ResultsAsync(Dictionary<string, AmqpTap> taps, HashSet<string> ids)
    {
        var results = new Dictionary<string, List<string>>();
        foreach (var (exchange, tap) in taps)
            foreach (var e in (await tap.ReadAsync()).DistinctBy(e => e.GetProperty("eventId").GetString()))
                if (e.GetProperty("messageId").GetString() is { } id && ids.Contains(id))
                    (results.TryGetValue(id, out var list) ? list : results[id] = []).Add(Outcomes[exchange]);
        return results;
    }
}

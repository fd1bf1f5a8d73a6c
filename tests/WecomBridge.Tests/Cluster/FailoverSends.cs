using WecomBridge.Contracts.Sending;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;
using Xunit.Abstractions;

namespace WecomBridge.Tests.Cluster;

/// <summary>What the Redis failover drills assert once their stream of customer tasks is in: each ended once, as sent.</summary>
internal static class FailoverSends
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";

    /// <summary>
    /// Waits for a result event of every task, writes the counts to the test output, and asserts that each ended once as
    /// sent (none falsely ambiguous: the fake answers every call) and that each was created at WeCom exactly once.
    /// </summary>
    public static async Task AssertEachSentOnceAsync(DispatcherApp app, SendRequested[] tasks, Dictionary<string, AmqpTap> taps, ITestOutputHelper output)
    {
        var ids = tasks.Select(s => s.MessageId).ToHashSet();
        var ended = await Eventually.Get(() => DispatcherRedisRestartDrill.ResultsAsync(taps, ids), r => r.Count == ids.Count, TimeSpan.FromSeconds(180),
            "a result event for every send");
        var created = app.WeCom.Data.MsgTemplates.GroupBy(t => t.Request["text"]?["content"]?.ToString() ?? "").ToDictionary(g => g.Key, g => g.Count());
        var outcomes = ended.Values.SelectMany(v => v).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"sends {ids.Count}; calls {app.WeCom.Journal.Count(MsgTemplate)}; tasks created once "
            + $"{created.Count(c => c.Value == 1)}, more than once {created.Count(c => c.Value > 1)}, never {ids.Count - created.Count}; outcomes "
            + string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));

        foreach (var (id, _) in ended.Where(e => e.Value is not ["sent"]))
        {
            var status = await app.StatusAsync(id);
            output.WriteLine($"{id}: {status?.State} after {status?.Attempts} attempts, first call {status?.FirstCallAt:O}: {status?.Reason}");
            foreach (var line in app.App.Logs.Lines.Where(l => l.Contains(id, StringComparison.Ordinal))) output.WriteLine("  " + line);
        }
        Assert.All(ended, e => Assert.True(e.Value is ["sent"], $"{e.Key}: {string.Join(", ", e.Value)}"));
        Assert.All(created, c => Assert.True(c.Value == 1, $"'{c.Key}' created {c.Value} times"));
        Assert.Equal(tasks.Select(t => t.CustomerTask!.Text!).Order(), created.Keys.Order());
    }
}

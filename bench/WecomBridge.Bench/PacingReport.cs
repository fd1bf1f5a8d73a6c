using System.Collections.Concurrent;
using System.Globalization;
using WecomBridge.Fakes;

namespace WecomBridge.Bench;

internal static partial class PacingBench
{
    /// <summary>
    /// The pacing run at the fake: calls by arrival (accepted, refused with 45009), the busiest window of accepted calls,
    /// the elapsed time (first call to the last accepted one, plus one window: the last call's window is used too) and
    /// the share of the limit used, accepted / (limit × elapsed / window); the rate used, the steady rate between the first
    /// and the last accepted arrival against the limit's (calls spaced evenly at exactly the limit reach 100 % of it, and
    /// tasks / (tasks − 1 + limit) of the share above); tasks created per send; results; CPU per send.
    /// </summary>
    private static string PacingLine(Options o, ConcurrentDictionary<string, int> run, SendBench.Results results, WeComFake wecom, double cpuSeconds)
    {
        var arrivals = wecom.Limits.Arrivals(TaskPath);
        var accepted = arrivals.Where(x => !x.Refused).Select(x => x.Time).ToArray();
        var span = accepted.Length == 0 ? TimeSpan.Zero : accepted[^1] - arrivals[0].Time;
        var elapsed = span + o.Window;
        var used = accepted.Length / (o.Limit * (elapsed / o.Window));
        var rate = accepted.Length < 2 ? 0 : (accepted.Length - 1) / (o.Limit * ((accepted[^1] - accepted[0]) / o.Window));
        var busiest = 0;
        for (int first = 0, last = 0; last < accepted.Length; last++)
        {
            while (accepted[last] - accepted[first] >= o.Window) first++;
            busiest = Math.Max(busiest, last - first + 1);
        }
        var created = wecom.Data.MsgTemplates.ToArray().Select(t => t.Request["text"]?["content"]?.ToString() ?? "")
            .Where(text => text.StartsWith("pace #", StringComparison.Ordinal)).GroupBy(text => text).ToArray();
        var sent = run.Keys.Count(results.Sent.ContainsKey);
        var ambiguous = run.Keys.Count(id => results.Failed.TryGetValue(id, out var x) && x.EndsWith("outcome-unknown", StringComparison.Ordinal));
        var failed = run.Keys.Count(results.Failed.ContainsKey) - ambiguous;
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=pacing instances={o.Instances} tasks={o.Tasks} accepted={run.Count} limit={o.Limit} window_s={o.Window.TotalSeconds:F0} " +
            $"arrivals={arrivals.Count} calls_accepted={accepted.Length} refused={arrivals.Count - accepted.Length} busiest_window={busiest} " +
            $"elapsed_s={elapsed.TotalSeconds:F1} fastest_s={Math.Ceiling((double)o.Tasks / o.Limit) * o.Window.TotalSeconds:F0} " +
            $"limit_used_pct={100 * used:F1} rate_used_pct={100 * rate:F1} sent={sent} failed={failed} ambiguous={ambiguous} missing={run.Count - sent - failed - ambiguous} " +
            $"created={created.Sum(g => g.Count())} created_once={created.Count(g => g.Count() == 1)} created_twice={created.Count(g => g.Count() > 1)} " +
            $"results_twice={run.Keys.Count(id => results.Events.GetValueOrDefault(id) > 1)} cpu_s={cpuSeconds:F2} " +
            $"cpu_ms_per_send={(sent == 0 ? 0 : 1000 * cpuSeconds / sent):F1} {SendBench.LoadAvg()}");
    }
}

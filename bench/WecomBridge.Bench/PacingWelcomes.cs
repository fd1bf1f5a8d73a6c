using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Bench;

/// <summary>
/// Welcomes under load: add_external_contact callbacks with distinct welcome codes at R/s (open loop, round robin over
/// the gateways), each code issued at the fake when its event is made, as WeCom does. Latency runs from the callback's
/// POST to the fake's receipt of send_welcome_msg; the callback's own answer time is reported apart.
/// </summary>
internal static class PacingWelcomes
{
    private const string WelcomePath = "/cgi-bin/externalcontact/send_welcome_msg";

    /// <summary>Callbacks for the fixture's customers `tag` first, first + 1, …; returns the RESULT line.</summary>
    public static async Task<string> RunAsync(string name, string tag, int first, string[] urls, WeComFake wecom, double rate, int seconds,
        ConcurrentDictionary<string, int>? bulk, SendBench.Results? results)
    {
        var count = (int)Math.Ceiling(rate * seconds);
        var simulator = new CallbackSimulator();
        var posted = new DateTimeOffset[count];
        var statuses = new int[count];
        var answerMs = new double[count];
        var bulkSentBefore = bulk is null || results is null ? 0 : bulk.Keys.Count(results.Sent.ContainsKey);
        var bulkPostedBefore = bulk?.Count ?? 0;
        using var loop = new OpenLoop(256);
        var sentCallbacks = await loop.RunAsync(rate, TimeSpan.FromSeconds(seconds), count, i =>
        {
            var code = SendBench.WelcomeCode(tag, first + (int)i);
            var customer = SendBench.Customer(tag, first + (int)i);
            wecom.IssueWelcomeCode("zhangsan", customer, code);
            var now = DateTimeOffset.UtcNow;
            var callback = simulator.BuildWeComPost(Fixtures.WeComApp, WeComEvents.ExternalContact(Fixtures.CorpId, "add_external_contact",
                "zhangsan", customer, state: "bench", welcomeCode: code, createTime: now.ToUnixTimeSeconds()));
            posted[i] = now;
            return LoadGenerator.Prepare(urls[i % urls.Length], Fixtures.CallbackPath, [callback])[0];
        }, (i, status, ms) => (statuses[i], answerMs[i]) = (status, ms));
        var streamEnd = DateTime.UtcNow;

        // Until every code was used or its 20 s ran out (the fake refuses it after that, 41051).
        var byCode = new Dictionary<string, JournalEntry>();
        while (true)
        {
            byCode.Clear();
            foreach (var e in wecom.Journal.For(WelcomePath))
                if (CodeOf(e.Body) is { } code && (!byCode.TryGetValue(code, out var seen) || seen.ErrCode != 0)) byCode[code] = e;
            var mine = Enumerable.Range(0, (int)sentCallbacks).Count(i => byCode.ContainsKey(SendBench.WelcomeCode(tag, first + i)));
            if (mine >= sentCallbacks || DateTime.UtcNow - streamEnd > TimeSpan.FromSeconds(25)) break;
            await Task.Delay(250);
        }
        var latencies = new List<double>();
        int sent = 0, failed = 0, missing = 0;
        for (var i = 0; i < sentCallbacks; i++)
        {
            if (!byCode.TryGetValue(SendBench.WelcomeCode(tag, first + i), out var e)) { missing++; continue; }
            if (e.ErrCode != 0) { failed++; continue; }
            sent++;
            latencies.Add((e.Time - posted[i]).TotalMilliseconds);
        }
        var sorted = latencies.Order().ToArray();
        var answers = answerMs.Take((int)sentCallbacks).Order().ToArray();
        var bulkSent = bulk is null || results is null ? 0 : bulk.Keys.Count(results.Sent.ContainsKey) - bulkSentBefore;
        var bulkPosted = (bulk?.Count ?? 0) - bulkPostedBefore;
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name={name} instances={urls.Length} rate={rate:F0} seconds={seconds} callbacks={sentCallbacks} " +
            $"ok={statuses.Take((int)sentCallbacks).Count(s => s == 200)} late_starts={loop.LateStarts} welcomes_sent={sent} failed={failed} missing={missing} " +
            $"p50_ms={P(sorted, 0.5):F1} p99_ms={P(sorted, 0.99):F1} max_ms={(sorted.Length == 0 ? 0 : sorted[^1]):F1} " +
            $"callback_p50_ms={P(answers, 0.5):F1} callback_p99_ms={P(answers, 0.99):F1} bulk_posted_during={bulkPosted} bulk_sent_during={bulkSent} {SendBench.LoadAvg()}");
    }

    private static double P(double[] sorted, double p) => sorted.Length == 0 ? 0 : LoadResult.Percentile(sorted, p);

    private static string? CodeOf(string body)
    {
        try { return JsonDocument.Parse(body).RootElement.GetProperty("welcome_code").GetString(); }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return null; }
    }
}

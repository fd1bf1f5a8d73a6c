using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Bench;

/// <summary>
/// The broker stopped under a steady open-loop stream (bench/outage.sh): distinct add_external_contact callbacks
/// at a fixed rate; the broker is stopped at --outage-at for --outage-seconds (by running --stop-cmd and
/// --start-cmd). A callback left unanswered (connection closed, or no answer within 5 s as WeCom waits) is retried
/// after --retry-ms, then 2, 4 and 8 times that, and every 8 × after, until it is answered (WeCom gives up after a few
/// retries; retrying until answered shows that none stays stuck). Every second a SAMPLE line: the gateway's RSS and threads
/// (/proc), its spool depth (/health/ready), answers so far. At the end a RESULT line: answer latencies per phase,
/// the spool's drain rate, and what the queue holds (OutageQueue reads it: distinct events and extra copies).
/// </summary>
internal static partial class Outage
{
    public static async Task<int> RunAsync(Args a)
    {
        var url = a.Required("url").TrimEnd('/') + Fixtures.CallbackPath;
        var rate = double.Parse(a.Required("rate"), CultureInfo.InvariantCulture);
        var seconds = a.Int("seconds", 120);
        var outageAt = a.Int("outage-at", 15);
        var outageFor = a.Int("outage-seconds", 60);
        var retryAfter = TimeSpan.FromMilliseconds(a.Int("retry-ms", 1000));
        var pid = a.Int("pid", 0);
        var name = a.Get("name", "outage");
        var count = (long)(rate * seconds);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // Built before the stream (signing and encrypting on the fly took CPU the 2-core machine's gateway needs).
        var requests = new LoadGenerator.Request[count];
        Parallel.For(0, count, () => new CallbackSimulator(), (i, _, sim) =>
        {
            var c = sim.BuildWeComPost(Fixtures.WeComApp, Fixtures.ContactAddedXml($"wm{tag}{i:D8}", now + (long)(i / rate)));
            requests[i] = new LoadGenerator.Request(c.UriFor(url), System.Text.Encoding.UTF8.GetBytes(c.Body!));
            return sim;
        }, _ => { });

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096, UseProxy = false })
            { Timeout = TimeSpan.FromSeconds(5) };
        var stats = new OutageStats(Stopwatch.GetTimestamp());
        var answered = new bool[count];
        var retries = new ConcurrentDictionary<long, Task>();

        async Task<int> Post(LoadGenerator.Request r)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, r.Uri) { Content = new ByteArrayContent(r.Body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
            try
            {
                using var response = await http.SendAsync(message);
                await response.Content.LoadIntoBufferAsync();
                return (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { return -1; }
        }

        async Task Retry(long i, LoadGenerator.Request r)
        {
            for (var attempt = 0; ; attempt++)
            {
                // WeCom-like: 1, 2, 4, then every 8 s (every --retry-ms × 2^n, at most 8 ×), until answered.
                await Task.Delay(retryAfter * Math.Min(8, 1 << Math.Min(attempt, 3)));
                var sent = Stopwatch.GetTimestamp();
                var status = await Post(r);
                stats.Answer(sent, status);
                if (status > 0) { Volatile.Write(ref answered[i], true); retries.TryRemove(i, out _); return; }
            }
        }

        using var stop = new CancellationTokenSource();
        var sampler = Sampler.RunAsync(a.Required("url"), pid, stats, () => answered.Count(x => x), () => retries.Count, stop.Token);
        var broker = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(outageAt));
            await Shell(a.Required("stop-cmd"));
            stats.BrokerDown = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(outageFor));
            await Shell(a.Required("start-cmd"));
            stats.BrokerUp = Stopwatch.GetTimestamp();
        });

        using var loop = new OpenLoop(maxInFlight: 4096);
        var sentCount = await loop.RunAsync(rate, TimeSpan.FromSeconds(seconds), count, i =>
        {
            var request = requests[i];
            return async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                var status = await Post(request);
                stats.Answer(sent, status);
                if (status > 0) Volatile.Write(ref answered[i], true);
                else retries[i] = Retry(i, request);
                return status;
            };
        }, (_, _, _) => { });
        stats.StreamEnd = Stopwatch.GetTimestamp();
        await broker;
        var deadline = Stopwatch.GetTimestamp() + a.Int("drain-limit", 300) * Stopwatch.Frequency;
        while ((!retries.IsEmpty || stats.SpoolDepth != 0) && Stopwatch.GetTimestamp() < deadline) await Task.Delay(500);
        await Task.Delay(1500); // one more sample
        await stop.CancelAsync();
        await sampler;

        var queue = await OutageQueue.ReadAsync(a.Required("amqp"), a.Required("queue"), TimeSpan.FromSeconds(5));
        var ok = answered.Take((int)sentCount).Count(x => x);
        Console.WriteLine(stats.Result(name, rate, sentCount, ok, retries.Count, queue, loop.LateStarts));
        foreach (var line in stats.PhaseLines(name)) Console.WriteLine(line);
        return 0;
    }

    private static async Task Shell(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true })!;
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
    }

    /// <summary>The spool's depth from the readiness JSON ("N events wait…"), 0 when it says the spool is empty.</summary>
    public static long? SpoolDepth(string readyJson)
    {
        var m = DepthText().Match(readyJson);
        return m.Success ? long.Parse(m.Groups[1].Value) : readyJson.Contains("spool empty") ? 0 : null;
    }

    [GeneratedRegex("\"spool\":\\{[^}]*?\"description\":\"[^\"]*?(\\d+) events? wait")]
    private static partial Regex DepthText();
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Bench;

/// <summary>
/// C concurrent request loops posting pre-built requests, each request at most once; stops after the last
/// request or after maxSeconds. Each loop has its own keep-alive connection: the raw HTTP/1.1 client
/// (RawHttpConnection, the default) or one SocketsHttpHandler shared by all loops (`httpclient`), for comparison.
/// </summary>
internal static class LoadGenerator
{
    public sealed record Request(Uri Uri, byte[] Body);

    public static Request[] Prepare(string baseUrl, string path, IEnumerable<CallbackRequest> callbacks) =>
        callbacks.Select(c => new Request(c.UriFor(baseUrl.TrimEnd('/') + path), System.Text.Encoding.UTF8.GetBytes(c.Body!))).ToArray();

    public static async Task<LoadResult> RunAsync(string name, Request[] requests, int connections, TimeSpan maxTime, string client = "raw", string? timeline = null)
    {
        if (client == "raw")
        {
            var sockets = Enumerable.Range(0, connections).Select(_ => new RawHttpConnection(requests[0].Uri)).ToArray();
            try
            {
                return await ClosedLoop.RunAsync(name, requests.Length, connections, maxTime,
                    (i, loop) => sockets[loop].PostAsync(requests[i].Uri.PathAndQuery, requests[i].Body, "text/xml; charset=utf-8"), timeline);
            }
            finally
            {
                foreach (var socket in sockets) socket.Dispose();
            }
        }
        if (client != "httpclient") throw new ArgumentException($"--client {client}: raw or httpclient");
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var contentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        return await ClosedLoop.RunAsync(name, requests.Length, connections, maxTime, async (i, _) =>
        {
            var r = requests[i];
            using var message = new HttpRequestMessage(HttpMethod.Post, r.Uri) { Content = new ByteArrayContent(r.Body) };
            message.Content.Headers.ContentType = contentType;
            using var response = await http.SendAsync(message);
            await response.Content.LoadIntoBufferAsync();
            return (int)response.StatusCode;
        });
    }
}

internal sealed record LoadResult(
    string Name, int Connections, int Requests, int Ok, int NonOk, int NoAnswer, double Seconds,
    double PerSecond, double P50Ms, double P99Ms, double P999Ms, double MaxMs, string Codes, double CpuSeconds)
{
    /// <param name="cpu">CPU time of this process (all threads) during the run.</param>
    public static LoadResult From(string name, int connections, TimeSpan elapsed, TimeSpan cpu, Span<long> ticks, Span<int> statuses)
    {
        var ok = 0; var noAnswer = 0;
        foreach (var s in statuses) { if (s == 200) ok++; else if (s == -1) noAnswer++; }
        var ms = new double[ticks.Length];
        for (var i = 0; i < ticks.Length; i++) ms[i] = ticks[i] * 1000.0 / Stopwatch.Frequency;
        Array.Sort(ms);
        return new LoadResult(name, connections, ticks.Length, ok, ticks.Length - ok, noAnswer, elapsed.TotalSeconds,
            ticks.Length / elapsed.TotalSeconds, Percentile(ms, 0.50), Percentile(ms, 0.99), Percentile(ms, 0.999),
            ms.Length == 0 ? 0 : ms[^1], Histogram(statuses), cpu.TotalSeconds);
    }

    /// <summary>status:count pairs, e.g. 200:59993,400:7 (-1 = no answer).</summary>
    private static string Histogram(Span<int> statuses)
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var s in statuses) counts[s] = counts.GetValueOrDefault(s) + 1;
        return string.Join(',', counts.Select(c => $"{c.Key}:{c.Value}"));
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>One line that bench/run.sh greps: RESULT name=… key=value …</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RESULT name={Name} connections={Connections} requests={Requests} ok={Ok} non200={NonOk} noanswer={NoAnswer} " +
        $"seconds={Seconds:F2} per_s={PerSecond:F0} p50_ms={P50Ms:F2} p99_ms={P99Ms:F2} p999_ms={P999Ms:F2} max_ms={MaxMs:F2} codes={Codes} cpu_s={CpuSeconds:F2}");
}

using System.Diagnostics;
using System.Net.Http.Headers;

namespace WecomBridge.Bench;

/// <summary>
/// Open-loop load at a fixed rate, as WeCom sends callbacks (when events happen, not when the gateway is
/// ready): request i is due at start + i / rate, whatever the answers to earlier ones. Its latency counts
/// from the moment it was due, so time spent waiting for a free connection is counted (no coordinated
/// omission). At most maxInFlight requests are outstanding; past that, due requests wait (and their wait
/// is in their latency). Every request has a 10 s timeout (status -1 = no answer).
/// </summary>
internal sealed class OpenLoop : IDisposable
{
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _slots;
    private readonly MediaTypeHeaderValue _contentType = new("text/xml") { CharSet = "utf-8" };

    public OpenLoop(int maxInFlight = 1024)
    {
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxInFlight,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AllowAutoRedirect = false,
        }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Number of requests that were due later than 10 ms when they were sent (the generator fell behind).</summary>
    public long LateStarts;

    /// <summary>
    /// Sends make(i) for i = 0, 1, … at `rate` per second until `duration` is over (or count requests were sent),
    /// calls done(i, status, latency ms) for each, and returns after the last answer. Returns the requests sent.
    /// </summary>
    public Task<long> RunAsync(double rate, TimeSpan duration, long count, Func<long, LoadGenerator.Request> make,
        Action<long, int, double> done, CancellationToken cancel = default) =>
        RunAsync(rate, duration, count, i =>
        {
            var request = make(i);
            return () => PostAsync(request);
        }, done, cancel);

    /// <summary>
    /// The same schedule for any request: make(i) is called when request i is due and returns what sends it (its
    /// HTTP status; an exception counts as -1, no answer). The send API's soak posts JSON with a key this way.
    /// </summary>
    public async Task<long> RunAsync(double rate, TimeSpan duration, long count, Func<long, Func<Task<int>>> make,
        Action<long, int, double> done, CancellationToken cancel = default)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var interval = Stopwatch.Frequency / rate;
        var pending = new List<Task>();
        long i = 0;
        while (i < count && !cancel.IsCancellationRequested)
        {
            var due = start + (long)(i * interval);
            if (due >= end) break;
            var now = Stopwatch.GetTimestamp();
            if (due > now)
            {
                // Timers tick about every millisecond: a request due sooner waits for the next tick, and the few
                // hundred µs it may then be late count in its latency. No spinning: it would take a CPU from the gateway.
                var wait = TimeSpan.FromSeconds((double)(due - now) / Stopwatch.Frequency);
                await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, CancellationToken.None);
                continue;
            }
            if (now - due > Stopwatch.Frequency / 100) LateStarts++;
            var send = make(i);
            await _slots.WaitAsync(CancellationToken.None);
            pending.Add(SendAsync(i, send, due, done));
            if (pending.Count > 4096) pending.RemoveAll(t => t.IsCompleted);
            i++;
        }
        await Task.WhenAll(pending);
        return i;
    }

    private async Task<int> PostAsync(LoadGenerator.Request r)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, r.Uri) { Content = new ByteArrayContent(r.Body) };
        message.Content.Headers.ContentType = _contentType;
        using var response = await _http.SendAsync(message);
        await response.Content.LoadIntoBufferAsync();
        return (int)response.StatusCode;
    }

    private async Task SendAsync(long i, Func<Task<int>> send, long due, Action<long, int, double> done)
    {
        int status;
        try
        {
            status = await send();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            status = -1;
        }
        finally
        {
            _slots.Release();
        }
        done(i, status, (Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency);
    }

    public void Dispose()
    {
        _http.Dispose();
        _slots.Dispose();
    }
}

/// <summary>/proc readings of one process: resident set now and its peak (VmRSS, VmHWM) in MiB.</summary>
internal static class ProcMemory
{
    public static (double RssMb, double HwmMb) Read(int pid)
    {
        double rss = 0, hwm = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:")) rss = Kb(line);
                else if (line.StartsWith("VmHWM:")) hwm = Kb(line);
            }
        }
        catch (IOException) { }
        return (rss, hwm);

        static double Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}

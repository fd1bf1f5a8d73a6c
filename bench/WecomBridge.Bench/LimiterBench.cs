using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;
using WecomBridge.RateLimits;

namespace WecomBridge.Bench;

/// <summary>
/// The shared limiter against a platform that counts arrivals: an in-process Kestrel endpoint refuses a call (HTTP 429, for
/// WeCom's errcode 45009) when the sliding window before it (any window, not fixed slots) already holds the limit of accepted
/// calls. Several limiter instances (each its own Redis connection and HttpClient), each with several callers, make
/// N calls: reserve (within 2 s, else wait and reserve again, as the dispatcher defers), wait for the slot, optionally
/// an extra random delay (a loaded network), call. A refused call is counted and made again. Shapes: `paced` (the
/// API buckets) or `counted` (a sliding-window count, as the API buckets were before).
/// </summary>
internal static class LimiterBench
{
    public static async Task<string> RunAsync(string redisAddress, int port, int limit, TimeSpan window, int calls, int instances,
        int callers, double margin, string shape, TimeSpan jitter)
    {
        var arrivals = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        var refused = 0;
        var leaves = new List<DateTimeOffset>();
        var delays = new List<double>(); // ms from the reserved slot (Redis's clock) to the call leaving (this host's clock)
        var app = Platform(port, () =>
        {
            var now = clock.Elapsed;
            lock (arrivals)
            {
                var inWindow = 0;
                for (var i = arrivals.Count - 1; i >= 0 && now - arrivals[i] <= window; i--) inWindow++;
                if (inWindow >= limit) return false;
                arrivals.Add(now);
                return true;
            }
        });
        await app.StartAsync();
        var key = $"wecom:bench{Guid.NewGuid():N}:externalcontact/add_msg_template";
        var limitOf = new RateLimit(limit, window);
        var bucket = shape == "counted" ? RateBucket.Counted(key, limitOf) : RateBucket.Paced(key, limitOf, margin);
        var left = calls;
        var connections = await Task.WhenAll(Enumerable.Range(0, instances).Select(_ => ConnectionMultiplexer.ConnectAsync(redisAddress)));
        try
        {
            await Task.WhenAll(connections.SelectMany(redis =>
            {
                var limiter = new RedisRateLimiter(redis);
                var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
                return Enumerable.Range(0, callers).Select(async _ =>
                {
                    while (Interlocked.Decrement(ref left) >= 0)
                        while (true)
                        {
                            RateGrant grant;
                            while (!(grant = await limiter.AcquireAsync([bucket], TimeSpan.FromSeconds(2), TimeProvider.System,
                                       CancellationToken.None)).Granted)
                                await Task.Delay(grant.Wait - TimeSpan.FromSeconds(2));
                            if (jitter > TimeSpan.Zero) await Task.Delay(jitter * Random.Shared.NextDouble());
                            var leaving = DateTimeOffset.UtcNow;
                            lock (delays)
                            {
                                delays.Add((leaving - grant.At).TotalMilliseconds);
                                leaves.Add(leaving);
                            }
                            using var answer = await http.PostAsync("cgi-bin/externalcontact/add_msg_template", null);
                            if (answer.IsSuccessStatusCode) break;
                            Interlocked.Increment(ref refused);
                        }
                });
            }));
        }
        finally
        {
            foreach (var redis in connections) redis.Dispose();
            await app.StopAsync();
        }
        var span = arrivals[^1] - arrivals[0];
        delays.Sort();
        leaves.Sort();
        int Busiest<T>(IReadOnlyList<T> times, Func<T, T, TimeSpan> gap)
        {
            var most = 0;
            for (int first = 0, last = 0; first < times.Count; first++)
            {
                while (last < times.Count && gap(times[first], times[last]) <= window) last++;
                most = Math.Max(most, last - first);
            }
            return most;
        }
        double Pct(double p) => delays[(int)Math.Min(delays.Count - 1, p * delays.Count)];
        var used = (arrivals.Count - 1) / (limit * (span / window));
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=pacing-{shape} limit={limit} window_s={window.TotalSeconds} instances={instances} callers={instances * callers} " +
            $"margin={margin} jitter_ms={jitter.TotalMilliseconds} calls={calls} refused={refused} span_s={span.TotalSeconds:F2} used_pct={used * 100:F1} " +
            $"delay_ms_p1={Pct(0.01):F1} p50={Pct(0.5):F1} p99={Pct(0.99):F1} max={delays[^1]:F1} " +
            $"busiest_leaving={Busiest(leaves, (a, b) => b - a)} busiest_accepted={Busiest(arrivals, (a, b) => b - a)} " +
            $"loadavg={File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }

    private static WebApplication Platform(int port, Func<bool> accept)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/cgi-bin/externalcontact/add_msg_template", () => accept() ? Results.Ok() : Results.StatusCode(429));
        return app;
    }
}

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
internal static class PacingBench
{
    public static async Task<string> RunAsync(string redisAddress, int port, int limit, TimeSpan window, int calls, int instances,
        int callers, double margin, string shape, TimeSpan jitter)
    {
        var arrivals = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        var refused = 0;
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
        var used = (arrivals.Count - 1) / (limit * (span / window));
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=pacing-{shape} limit={limit} window_s={window.TotalSeconds} instances={instances} callers={instances * callers} " +
            $"margin={margin} jitter_ms={jitter.TotalMilliseconds} calls={calls} refused={refused} span_s={span.TotalSeconds:F2} used={used:P1}");
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

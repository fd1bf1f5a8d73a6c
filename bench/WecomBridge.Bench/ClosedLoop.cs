using System.Diagnostics;

namespace WecomBridge.Bench;

/// <summary>
/// `concurrency` loops that each await one operation at a time; operation i runs at most once, and the
/// loops stop after the last one or after maxTime. op returns a status (200 = success, -1 = no answer).
/// </summary>
internal static class ClosedLoop
{
    /// <param name="timeline">When given, one line per operation that ran: start (ms of the monotonic clock, as
    /// Stopwatch.GetTimestamp in any process of the machine), latency (ms), loop, status.</param>
    public static async Task<LoadResult> RunAsync(string name, int count, int concurrency, TimeSpan maxTime, Func<int, int, Task<int>> op,
        string? timeline = null)
    {
        var latencies = new long[count];
        var starts = new long[count];
        var loops = new int[count];
        var statuses = new int[count];
        var next = -1;
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(maxTime.TotalSeconds * Stopwatch.Frequency);

        async Task Loop(int loop)
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count || Stopwatch.GetTimestamp() > deadline) return;
                var t0 = starts[i] = Stopwatch.GetTimestamp();
                loops[i] = loop;
                try
                {
                    statuses[i] = await op(i, loop);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    statuses[i] = -1;
                }
                latencies[i] = Stopwatch.GetTimestamp() - t0;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(k => Task.Run(() => Loop(k))));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuUsed = Environment.CpuUsage.TotalTime - cpu;
        // Loops that met the deadline took an index they did not run: keep the operations that ran (status ≠ 0).
        var ran = Enumerable.Range(0, Math.Min(count, next + 1)).Where(i => statuses[i] != 0).ToArray();
        if (timeline is not null)
            File.WriteAllLines(timeline, ran.Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{starts[i] * 1000.0 / Stopwatch.Frequency:F3} {latencies[i] * 1000.0 / Stopwatch.Frequency:F3} {loops[i]} {statuses[i]}")));
        return LoadResult.From(name, concurrency, elapsed, cpuUsed, ran.Select(i => latencies[i]).ToArray(), ran.Select(i => statuses[i]).ToArray());
    }
}

using System.Diagnostics;
using System.Globalization;
using RabbitMQ.Client;

namespace WecomBridge.Bench;

/// <summary>Answers of the outage run by phase (sent before, during, after the broker was away), and the samples.</summary>
internal sealed class OutageStats(long start)
{
    private readonly Lock _lock = new();
    private readonly List<double>[] _ms = [[], [], []];
    private readonly long[] _unanswered = new long[3];
    public long BrokerDown = long.MaxValue, BrokerUp = long.MaxValue, StreamEnd = long.MaxValue;
    public long SpoolDepth = -1, PeakDepth, EmptyAfterUp = -1;
    public double PeakRssMb, PeakHeapMb, PeakGcPauseMs;
    public int PeakThreads, Gen2;

    private int Phase(long t) => t < BrokerDown ? 0 : t < BrokerUp ? 1 : 2;

    private double _secondMaxMs;
    private long _secondAnswers, _secondUnanswered;

    public void Answer(long sent, int status)
    {
        var ms = (Stopwatch.GetTimestamp() - sent) * 1000.0 / Stopwatch.Frequency;
        lock (_lock)
        {
            if (status > 0)
            {
                _ms[Phase(sent)].Add(ms);
                _secondMaxMs = Math.Max(_secondMaxMs, ms);
                _secondAnswers++;
            }
            else
            {
                _unanswered[Phase(sent)]++;
                _secondUnanswered++;
            }
        }
    }

    /// <summary>Since the last call: answers, their longest latency, attempts left unanswered.</summary>
    public (long Answers, double MaxMs, long Unanswered) TakeSecond()
    {
        lock (_lock)
        {
            var r = (_secondAnswers, _secondMaxMs, _secondUnanswered);
            (_secondAnswers, _secondMaxMs, _secondUnanswered) = (0, 0, 0);
            return r;
        }
    }

    public double Seconds(long t) => (t - start) / (double)Stopwatch.Frequency;

    public string Result(string name, double rate, long sent, int answered, int stillRetrying, OutageQueue.Tally queue, long late)
    {
        var drainS = EmptyAfterUp > 0 && BrokerUp != long.MaxValue ? Seconds(EmptyAfterUp) - Seconds(BrokerUp) : -1;
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name={name} rate={rate:F0} callbacks={sent} answered={answered} never_answered={stillRetrying} " +
            $"queue_messages={queue.Messages} queue_distinct={queue.Distinct} duplicates={queue.Messages - queue.Distinct} " +
            $"lost={Math.Max(0, answered - queue.Distinct)} spool_peak={PeakDepth} drain_s={drainS:F1} " +
            $"drain_per_s={(drainS > 0 ? PeakDepth / drainS : 0):F0} rss_peak_mb={PeakRssMb:F0} threads_peak={PeakThreads} " +
            $"heap_peak_mb={PeakHeapMb:F0} gen2={Gen2} gc_pause_max_ms={PeakGcPauseMs:F1} late_starts={late} " +
            $"outage_s={Seconds(BrokerDown):F1}-{Seconds(BrokerUp):F1} stream_end_s={Seconds(StreamEnd):F1}");
    }

    public List<string> PhaseLines(string name)
    {
        string[] names = ["before", "during", "after"];
        var lines = new List<string>();
        lock (_lock)
            for (var p = 0; p < 3; p++)
            {
                var ms = _ms[p].ToArray();
                Array.Sort(ms);
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"PHASE name={name} phase={names[p]} answered={ms.Length} unanswered_attempts={_unanswered[p]} " +
                    $"p50_ms={LoadResult.Percentile(ms, 0.5):F1} p99_ms={LoadResult.Percentile(ms, 0.99):F1} " +
                    $"max_ms={(ms.Length == 0 ? 0 : ms[^1]):F1} over_2s={ms.Count(x => x > 2000)}"));
            }
        return lines;
    }
}

/// <summary>One SAMPLE line a second: the gateway's RSS, threads, managed heap and GC, its spool depth, answers so far.</summary>
internal static class Sampler
{
    public static async Task RunAsync(string baseUrl, int pid, OutageStats s, Func<int> answered, Func<int> retrying, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var gc = new GcWatch(pid);
        while (!stop.IsCancellationRequested)
        {
            var (rss, _) = ProcMemory.Read(pid);
            var threads = Threads(pid);
            long? depth = null;
            try // 503 while the broker is away: the JSON still has the spool's check
            {
                using var ready = await http.GetAsync(baseUrl.TrimEnd('/') + "/health/ready");
                depth = Outage.SpoolDepth(await ready.Content.ReadAsStringAsync());
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            var g = gc.Take();
            var second = s.TakeSecond();
            var now = Stopwatch.GetTimestamp();
            if (depth is { } d)
            {
                s.SpoolDepth = d;
                s.PeakDepth = Math.Max(s.PeakDepth, d);
                if (d == 0 && now > s.BrokerUp && s.EmptyAfterUp < 0) s.EmptyAfterUp = now;
            }
            s.PeakRssMb = Math.Max(s.PeakRssMb, rss);
            s.PeakThreads = Math.Max(s.PeakThreads, threads);
            s.PeakHeapMb = Math.Max(s.PeakHeapMb, g.HeapMb);
            s.PeakGcPauseMs = Math.Max(s.PeakGcPauseMs, g.MaxPauseMs);
            s.Gen2 += g.Gen2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SAMPLE t={s.Seconds(now):F0} rss_mb={rss:F0} threads={threads} heap_mb={g.HeapMb:F0} gcs={g.Collections} " +
                $"gc_pause_max_ms={g.MaxPauseMs:F1} spool={depth?.ToString() ?? "?"} answered={answered()} retrying={retrying()} " +
                $"answers={second.Answers} answer_max_ms={second.MaxMs:F0} unanswered={second.Unanswered}"));
            try { await Task.Delay(1000, stop); } catch (OperationCanceledException) { }
        }
    }

    private static int Threads(int pid)
    {
        try { return int.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Threads:"))[8..].Trim()); }
        catch (Exception e) when (e is IOException or InvalidOperationException) { return 0; }
    }
}

/// <summary>Reads a queue to the end (a consumer, auto-ack): messages and distinct message ids (the events' ids).</summary>
internal static class OutageQueue
{
    public sealed record Tally(long Messages, long Distinct);

    public static async Task<Tally> ReadAsync(string amqp, string queue, TimeSpan idle)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-outage-read");
        await using var channel = await connection.CreateChannelAsync();
        var ids = new HashSet<string>();
        long messages = 0, last = Stopwatch.GetTimestamp();
        var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            lock (ids)
            {
                messages++;
                ids.Add(delivery.BasicProperties.MessageId ?? "");
            }
            Interlocked.Exchange(ref last, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        };
        await channel.BasicQosAsync(0, 2000, false);
        var tag = await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        while (Stopwatch.GetElapsedTime(Interlocked.Read(ref last)) < idle || await channel.MessageCountAsync(queue) > 0)
            await Task.Delay(500);
        await channel.BasicCancelAsync(tag);
        lock (ids) return new Tally(messages, ids.Count);
    }
}

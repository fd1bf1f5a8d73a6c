using System.Diagnostics;
using System.Globalization;
using RabbitMQ.Client;

namespace WecomBridge.Bench;

/// <summary>
/// One step of the load series (bench/series.sh runs R, 2R, 4R, each on a fresh gateway): the mixed
/// callbacks at a fixed rate for a fixed time, open loop. Prints a RESULT line in LoadResult's format plus
/// rate (offered per s), rss_peak_mb (VmRSS sampled every 250 ms during the step), hwm_mb (the gateway's
/// VmHWM at the end: its peak over its life, which is this step and its warm-up), events (messages on
/// the bound queue afterwards: one per callback answered 200) and late (requests sent > 10 ms after due),
/// then a CPU line like the load mode's.
/// </summary>
internal static class Series
{
    public const string Queue = "bench.mixed";

    public static async Task RunAsync(string name, string url, string amqp, double rate, TimeSpan duration, int pid, ProcCpu watch)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var mixed = new MixedCallbacks(Guid.NewGuid().ToString("N")[..8]);
        var requests = Enumerable.Range(0, count).Select(i => mixed.Make(url, i).Request).ToArray();
        var latencies = new long[count];
        var statuses = new int[count];
        double peakRss = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, ProcMemory.Read(pid).RssMb);
                try { await Task.Delay(250, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        using var loop = new OpenLoop();
        var cpuBefore = watch.Read();
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var sent = await loop.RunAsync(rate, duration, count, i => requests[i], (i, status, ms) =>
        {
            statuses[i] = status;
            latencies[i] = (long)(ms * Stopwatch.Frequency / 1000);
        });
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuAfter = watch.Read();
        var cpuUsed = Environment.CpuUsage.TotalTime - cpu;
        await sampling.CancelAsync();
        await sampler;

        var n = (int)sent;
        var result = LoadResult.From(name, 0, elapsed, cpuUsed, latencies.AsSpan(0, n), statuses.AsSpan(0, n));
        var events = await CountAsync(amqp);
        var (_, hwm) = ProcMemory.Read(pid);
        Console.WriteLine(result + string.Create(CultureInfo.InvariantCulture,
            $" rate={rate:F0} rss_peak_mb={peakRss:F1} hwm_mb={hwm:F1} events={events} late={loop.LateStarts}"));
        Console.WriteLine(watch.Line(name, cpuBefore, cpuAfter));
    }

    /// <summary>Declares the mixed kinds' exchanges and one durable queue bound to all of them, purged.</summary>
    public static async Task BindAsync(string amqp, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-bind");
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: QueueArguments.Get());
        foreach (var exchange in MixedCallbacks.Exchanges())
        {
            // Same arguments as the gateway's own declaration (RabbitMqMessagePublisher): fanout, durable.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, routingKey: "");
        }
        var purged = await channel.QueuePurgeAsync(queue);
        Console.WriteLine($"bound {queue} to {string.Join(", ", MixedCallbacks.Exchanges())} (purged {purged})");
    }

    private static async Task<uint> CountAsync(string amqp)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-count");
        await using var channel = await connection.CreateChannelAsync();
        return await channel.MessageCountAsync(Queue);
    }
}

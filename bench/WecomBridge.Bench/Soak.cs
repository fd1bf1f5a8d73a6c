using System.Collections.Concurrent;
using System.Globalization;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace WecomBridge.Bench;

/// <summary>
/// The soak (bench/soak.sh): mixed callbacks at a steady rate, open loop, for a given time, through a
/// running gateway, while a consumer (like a CRM's) reads every event from one durable queue bound to all
/// the mixed kinds' exchanges. Every interval it prints a SOAK line (answers, latency percentiles of the
/// requests answered in that interval, the gateway's VmRSS/VmHWM, CPU ticks of the watched processes,
/// events consumed so far). At the end it waits for the consumer to drain the queue and prints SOAKSUM:
/// events of callbacks answered 200 that never arrived (lost), event ids that arrived more than once
/// (duplicated), and events that arrived for callbacks not answered 200 (allowed: a timed-out callback
/// may still have been published; WeCom's retry would be absorbed by the dedupe key). With --sends-per-s, template
/// messages go at that rate through a dispatcher process of its own at the same time (SoakSends: send columns in the
/// SOAK lines, send checks in SOAKSUM). Each SOAK line also says what the interval's stalls could have been: GC pauses
/// (GcWatch), probes (Probes), pressure stall information and run-queue wait (ProcCpu.cs).
/// </summary>
internal static class Soak
{
    public const string Queue = "bench.soak";

    public static async Task RunAsync(string url, string amqp, double rate, TimeSpan duration, TimeSpan interval,
        int pid, string watchSpec, double sendsPerSecond, string? redis, string dispatcherLog, string appDll, string gcSpec = "")
    {
        // Sends (SoakSends): a dispatcher process of its own, watched like the others.
        if (sendsPerSecond > 0 && redis is null) throw new ArgumentException("--sends-per-s needs --redis");
        await using var sends = sendsPerSecond > 0 ? await SoakSends.StartAsync(amqp, redis!, dispatcherLog, appDll) : null;
        var watch = new ProcCpu(sends is null ? watchSpec : $"{watchSpec},dispatcher:{sends.Pid}");
        await using var probes = await Probes.StartAsync(amqp, redis);

        var kinds = MixedCallbacks.Kinds.Length;
        var exchangeKind = MixedCallbacks.Exchanges().Select((x, k) => (x, k)).ToDictionary(p => p.x, p => p.k);
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-soak-consumer");
        await using var channel = await connection.CreateChannelAsync();
        await Series.BindAsync(amqp, Queue);

        // The consumer: message_id = event id (RabbitMqMessagePublisher).
        var received = new ConcurrentDictionary<string, int>();
        var receivedByKind = new long[kinds];
        long consumed = 0, lastDelivery = Environment.TickCount64;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            received.AddOrUpdate(delivery.BasicProperties.MessageId ?? "(none)", 1, (_, n) => n + 1);
            if (exchangeKind.TryGetValue(delivery.Exchange, out var k)) Interlocked.Increment(ref receivedByKind[k]);
            Interlocked.Increment(ref consumed);
            Interlocked.Exchange(ref lastDelivery, Environment.TickCount64);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(Queue, autoAck: true, consumer);

        var mixed = new MixedCallbacks(Guid.NewGuid().ToString("N")[..8]);
        var inFlight = new ConcurrentDictionary<long, MixedCallbacks.Item>();
        var answeredOk = new HashSet<string>();
        var answeredOther = new HashSet<string>();
        var sentByKind = new long[kinds];
        var okByKind = new long[kinds];
        var gate = new object();
        var window = new List<double>();
        long windowOk = 0, windowOther = 0, windowNoAnswer = 0;

        using var stop = new CancellationTokenSource();
        using var gatewayGc = new GcWatch(pid);
        // Other .NET processes whose collections to watch (bench/soak.sh: the fake APIs), name:pid,…
        var otherGc = gcSpec.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Split(':'))
            .Select(p => (Name: p[0], Watch: new GcWatch(int.Parse(p[1])))).ToArray();
        var started = DateTime.UtcNow;
        var reporter = Task.Run(async () =>
        {
            var cpuBefore = watch.Read();
            var cpu = Environment.CpuUsage.TotalTime;
            var (ownPause, ownGen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
            var psi = Pressure.Read();
            var (ownWait, gatewayWait) = (RunQueue.WaitNs(Environment.ProcessId), RunQueue.WaitNs(pid));
            var n = 0;
            var last = started;
            using var timer = new PeriodicTimer(interval);
            for (var final = false; !final;)
            {
                try { await timer.WaitForNextTickAsync(stop.Token); }
                catch (OperationCanceledException) { final = true; } // one last (partial) interval, then the loop ends
                n++;
                double[] ms;
                long ok, other, none;
                lock (gate)
                {
                    ms = window.ToArray();
                    window.Clear();
                    (ok, other, none) = (windowOk, windowOther, windowNoAnswer);
                    windowOk = windowOther = windowNoAnswer = 0;
                }
                Array.Sort(ms);
                var cpuNow = watch.Read();
                var loadCpu = Environment.CpuUsage.TotalTime;
                var (rss, hwm) = ProcMemory.Read(pid);
                var now = DateTime.UtcNow;
                var t = (now - started).TotalSeconds;
                var span = Math.Max(0.001, (now - last).TotalSeconds);
                last = now;
                if (final && span < interval.TotalSeconds / 2) break; // the answers of the last few ms: in SOAKSUM only
                // Garbage collections in the interval: the gateway's (GcWatch) and the load generator's own (lg_).
                var gc = gatewayGc.Take();
                var gcLine = string.Create(CultureInfo.InvariantCulture,
                    $"gw_gcs={gc.Collections} gw_gen2={gc.Gen2} gw_pause_ms={gc.PauseMs:F1} gw_pause_max_ms={gc.MaxPauseMs:F1} gw_heap_mb={gc.HeapMb:F1} " +
                    $"lg_gen2={GC.CollectionCount(2) - ownGen2} lg_pause_ms={(GC.GetTotalPauseDuration() - ownPause).TotalMilliseconds:F1} ");
                (ownPause, ownGen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
                foreach (var (name, w) in otherGc)
                {
                    var o = w.Take();
                    gcLine += string.Create(CultureInfo.InvariantCulture, $"{name}_gen2={o.Gen2} {name}_pause_ms={o.PauseMs:F1} {name}_pause_max_ms={o.MaxPauseMs:F1} {name}_heap_mb={o.HeapMb:F1} ");
                }
                // Time the machine's tasks stalled on I/O (some / full) or waited for a CPU (some), ms in the interval.
                var psiNow = Pressure.Read();
                gcLine += $"io_some_ms={(psiNow.IoSome - psi.IoSome) / 1000} io_full_ms={(psiNow.IoFull - psi.IoFull) / 1000} cpu_some_ms={(psiNow.CpuSome - psi.CpuSome) / 1000} ";
                psi = psiNow;
                // Time the load generator's and the gateway's threads waited for a CPU in the interval (ms, summed over threads).
                var (ownWaitNow, gatewayWaitNow) = (RunQueue.WaitNs(Environment.ProcessId), RunQueue.WaitNs(pid));
                gcLine += $"lg_runq_ms={(ownWaitNow - ownWait) / 1_000_000} gw_runq_ms={(gatewayWaitNow - gatewayWait) / 1_000_000} lg_pool_threads={ThreadPool.ThreadCount} ";
                (ownWait, gatewayWait) = (ownWaitNow, gatewayWaitNow);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"SOAK name=soak-{n:D3} t_s={t:F0} answered={ms.Length} ok={ok} non200={other + none} noanswer={none} per_s={ms.Length / span:F0} " +
                    $"p50_ms={LoadResult.Percentile(ms, 0.5):F2} p99_ms={LoadResult.Percentile(ms, 0.99):F2} p999_ms={LoadResult.Percentile(ms, 0.999):F2} " +
                    $"max_ms={(ms.Length == 0 ? 0 : ms[^1]):F2} rss_mb={rss:F1} hwm_mb={hwm:F1} consumed={Interlocked.Read(ref consumed)} " +
                    $"load_cpu_s={(loadCpu - cpu).TotalSeconds:F2} ") + gcLine + probes.Take() + sends?.Interval() + watch.Line("x", cpuBefore, cpuNow)["CPU name=x ".Length..]);
                cpuBefore = cpuNow;
                cpu = loadCpu;
            }
        });

        var sendRun = sends?.RunAsync(sendsPerSecond, duration) ?? Task.CompletedTask;
        using var loop = new OpenLoop();
        var sent = await loop.RunAsync(rate, duration, long.MaxValue, i =>
        {
            var item = mixed.Make(url, i);
            inFlight[i] = item;
            Interlocked.Increment(ref sentByKind[item.Kind]);
            return item.Request;
        }, (i, status, ms) =>
        {
            inFlight.TryRemove(i, out var item);
            lock (gate)
            {
                window.Add(ms);
                if (status == 200) { windowOk++; answeredOk.Add(item!.EventId); okByKind[item.Kind]++; }
                else { if (status == -1) windowNoAnswer++; else windowOther++; answeredOther.Add(item!.EventId); }
            }
        });
        await sendRun;
        await stop.CancelAsync(); // every answer is in: RunAsync waits for them
        await reporter;
        foreach (var (_, w) in otherGc) w.Dispose();

        // Drain: every event of a callback answered 200 is durable on the queue; wait until all arrived, or
        // until nothing arrived for 15 s (at most 5 minutes).
        var drainStarted = DateTime.UtcNow;
        while (DateTime.UtcNow - drainStarted < TimeSpan.FromMinutes(5))
        {
            if (answeredOk.All(received.ContainsKey)) break;
            if (Environment.TickCount64 - Interlocked.Read(ref lastDelivery) > 15_000) break;
            await Task.Delay(500);
        }
        await Task.Delay(2000); // a late duplicate would show up here
        var left = await channel.MessageCountAsync(Queue);
        var sendSummary = sends is null ? "" : " " + await sends.SummaryAsync(TimeSpan.FromMinutes(3));

        var lost = answeredOk.Count(id => !received.ContainsKey(id));
        var duplicated = received.Count(p => p.Value > 1);
        var extraFromNon200 = received.Keys.Count(answeredOther.Contains);
        var unknown = received.Keys.Count(id => !answeredOk.Contains(id) && !answeredOther.Contains(id));
        var perKind = string.Join(',', Enumerable.Range(0, kinds).Select(k => $"{MixedCallbacks.Kinds[k]}:{sentByKind[k]}/{okByKind[k]}/{receivedByKind[k]}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SOAKSUM name=soak rate={rate:F0} seconds={duration.TotalSeconds:F0} interval_s={interval.TotalSeconds:F0} sent={sent} ok={answeredOk.Count} " +
            $"non200={answeredOther.Count} consumed={Interlocked.Read(ref consumed)} distinct={received.Count} lost={lost} duplicated={duplicated} " +
            $"published_non200={extraFromNon200} unknown={unknown} left_on_queue={left} late={loop.LateStarts} kinds={perKind} " +
            $"sends_per_s={sendsPerSecond:F0}") + sendSummary);
    }
}

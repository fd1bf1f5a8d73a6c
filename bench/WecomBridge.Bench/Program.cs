using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using WecomBridge.Bench;

// Modes (bench/run.sh runs them all; every target is 127.0.0.1 and every loop is bounded):
//   micro [--artifacts DIR]                                 BenchmarkDotNet hot-path benchmarks (short job, in process)
//   load --url URL --count N --connections C [--seconds S] [--watch name:pid,…] [--client raw|httpclient] [--timeline FILE]
//        [--drain QUEUE --amqp URI]                         … while a consumer takes every message of QUEUE
//                                                           N distinct callbacks at a gateway, one keep-alive connection per
//                                                           loop (raw HTTP/1.1 by default); CPU ticks of watched pids
//   stalls --timeline FILE [--over-ms 15] [--name N]         were the requests over the threshold slow alone or all loops at once?
//   ceiling-broker --amqp URI [--count N] [--seconds S] [--watch name:pid,…] [--timeline-dir DIR] [--drain 1]
//                                                           (--drain 1: a consumer takes the messages; runs named …-drained)
//                                                           RabbitMQ.Client publish-with-confirm: 64 on 4 channels, 8 on 8, 64 on 1
//   serve-http --port P [--seconds S]                        bare Kestrel endpoint for the HTTP ceiling (drive it with load)
//   bind --amqp URI --exchange X --queue Q                   durable queue bound to an event exchange (purged)
//   stages --count N --connections C [--seconds S] [--watch name:pid,…]
//                                                           dedupe / publish / intake alone, app services, app configuration
//   bind-mixed --amqp URI [--queue Q]                        durable queue bound to every mixed kind's exchange (purged)
//   series-step --url URL --amqp URI --rate R --seconds S --pid GW [--name N] [--watch name:pid,…]
//                                                           open loop: mixed callbacks at R/s for S s (bench/series.sh)
//   soak --url URL --amqp URI --rate R --minutes M [--interval S] --pid GW [--watch name:pid,…]
//        [--sends-per-s N --redis HOST:PORT [--dispatcher-log FILE] [--app DLL]] [--gc name:pid,…]
//                                                           steady mixed callbacks + a consumer counting events (bench/soak.sh);
//                                                           with sends: template messages through a dispatcher process (SoakSends.cs)
//   sends --amqp URI --redis HOST:PORT [--count N] [--connections C] [--seconds S] [--tight-limit L] [--tight-seconds S]
//         [--welcome-rate R] [--welcome-seconds S] [--welcome-bulk 0|1] [--watch name:pid,…] [--app DLL] [--log FILE]
//                                                           the dispatcher (SendBench.cs): its own WecomBridge process and fakes
//   pacing --amqp URI --redis HOST:PORT [--instances 3] [--tasks 1200] [--limit 100] [--window-seconds 5] [--bulk 3000]
//          [--welcome-rate 50] [--welcome-seconds 20] [--connections 16] [--log-dir DIR] [--app DLL]
//                                                           N dispatcher processes on a fake that limits like WeCom, then
//                                                           welcomes while bulk tasks wait (PacingBench.cs, bench/pacing.sh)
//   pool --postgres CONN --amqp URI --redis HOST:PORT [--contacts 1000000] [--through 50000] [--samples 100]
//        [--probe-seconds 15] [--app DLL] [--log FILE] [--explain FILE]
//                                                           the contact pool in PostgreSQL: --through contacts' events through
//                                                           a WecomBridge process's pool consumers, the rest filled in SQL;
//                                                           segment count / first page, export, size (PoolBench.cs, bench/pool.sh)
//   journeys --postgres CONN --amqp URI --redis HOST:PORT [--enrolments 1000000] [--window 1h] [--runners 2] [--batch 100]
//            [--poll-ms 5000] [--timeout-minutes 60] [--watch name:pid,…] [--postgres-pid PID] [--fill-only 1]
//                                                           journey runners in process working off enrolments due over the
//                                                           window: steps/s, lag due → send accepted, CPU, size (JourneysBench.cs);
//                                                           --fill-only 1: the size of the filled database, no run
//   faults --amqp URI --redis HOST:PORT [--hold-seconds 60] [--rate 5] [--faults 5xx,45009,45033,slow] [--log FILE]
//                                                           long fault drills against a dispatcher process (FaultsBench.cs)
//   limiter --redis HOST:PORT [--limit 100] [--window-seconds 5] [--count 1200] [--instances 3] [--callers 16] [--margin 0.03]
//          [--shape paced|counted] [--jitter-ms 0] [--port 18089]
//                                                           shared limiter instances against a platform counting arrivals in
//                                                           every sliding window (LimiterBench.cs): calls it refused, use
//   outage --url URL --amqp URI --queue Q --rate R --seconds S --outage-at A --outage-seconds O --stop-cmd C --start-cmd C
//          --pid GW [--retry-ms 1000] [--drain-limit 300] [--name N]
//                                                           the broker stopped under an open-loop stream, unanswered callbacks
//                                                           retried (bench/outage.sh, Outage.cs)
//   fixture --out FILE.json                                  WecomBridge.Fakes fixture naming the mixed callbacks' customers
//   plot-series|plot-soak --results FILE --out FILE.svg [--caption TEXT]   SVG charts of those results
var a = new Args(args);
var seconds = TimeSpan.FromSeconds(a.Int("seconds", 30));
switch (args.FirstOrDefault())
{
    case "micro":
        var config = ManualConfig.CreateEmpty().AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
            .AddLogger(DefaultConfig.Instance.GetLoggers().ToArray()).AddExporter(MarkdownExporter.GitHub)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(a.Get("artifacts", Path.Combine(Path.GetTempPath(), "wecombridge-bench")));
        BenchmarkRunner.Run<HotPathBenchmarks>(config);
        break;
    case "load":
        var count = a.Int("count", 20_000);
        var requests = LoadGenerator.Prepare(a.Required("url"), Fixtures.CallbackPath, Fixtures.Callbacks(count, a.Get("tag", Guid.NewGuid().ToString("N")[..8])));
        await using (var drain = a.Get("drain", "") is [_, ..] drained ? await Drain.StartAsync(a.Required("amqp"), drained) : null)
        {
            var watch = new ProcCpu(a.Get("watch", ""));
            var cpuBefore = watch.Read();
            Console.WriteLine(await LoadGenerator.RunAsync(a.Get("name", "load"), requests, a.Int("connections", 64), seconds, a.Get("client", "raw"), a.Get("timeline", "") is [_, ..] t ? t : null));
            Console.WriteLine(watch.Line(a.Get("name", "load"), cpuBefore, watch.Read()));
        }
        break;
    case "stalls":
        Console.WriteLine(Stalls.Analyse(a.Get("name", "load"), a.Required("timeline"), double.Parse(a.Get("over-ms", "15"), System.Globalization.CultureInfo.InvariantCulture)));
        break;
    case "ceiling-broker":
        var amqp = a.Required("amqp");
        var brokerCpu = new ProcCpu(a.Get("watch", ""));
        Console.WriteLine((await BrokerCeiling.RunAsync(amqp, 64, 4, 5000, seconds)) with { Name = "broker-warmup" });
        var drainCeiling = a.Get("drain", "0") == "1";
        var suffix = drainCeiling ? "-drained" : "";
        foreach (var (inFlight, channels) in new[] { (64, 4), (8, 8), (64, 1) })
        {
            var before = brokerCpu.Read();
            var timelines = a.Get("timeline-dir", "");
            var ceiling = await BrokerCeiling.RunAsync(amqp, inFlight, channels, a.Int("count", 100_000), seconds,
                timelines == "" ? null : Path.Combine(timelines, $"broker-{inFlight}x{channels}{suffix}.txt"), drainCeiling);
            ceiling = ceiling with { Name = ceiling.Name + suffix };
            Console.WriteLine(ceiling);
            Console.WriteLine(brokerCpu.Line(ceiling.Name, before, brokerCpu.Read()));
        }
        break;
    case "serve-http":
        await HttpCeiling.ServeAsync(a.Int("port", 5099), seconds);
        break;
    case "bind":
        await BrokerCeiling.BindAsync(a.Required("amqp"), a.Required("exchange"), a.Required("queue"));
        break;
    case "stages":
        await Stages.RunAsync(a.Int("count", 20_000), a.Int("connections", 64), seconds, new ProcCpu(a.Get("watch", "")));
        break;
    case "bind-mixed":
        await Series.BindAsync(a.Required("amqp"), a.Get("queue", Series.Queue));
        break;
    case "series-step":
        await Series.RunAsync(a.Get("name", "series"), a.Required("url"), a.Required("amqp"), double.Parse(a.Required("rate")),
            seconds, a.Int("pid", 0), new ProcCpu(a.Get("watch", "")));
        break;
    case "soak":
        await Soak.RunAsync(a.Required("url"), a.Required("amqp"), double.Parse(a.Required("rate")),
            TimeSpan.FromMinutes(double.Parse(a.Get("minutes", "30"))), TimeSpan.FromSeconds(a.Int("interval", 30)),
            a.Int("pid", 0), a.Get("watch", ""), double.Parse(a.Get("sends-per-s", "0"), System.Globalization.CultureInfo.InvariantCulture),
            a.Get("redis", "") is { Length: > 0 } r ? r : null, a.Get("dispatcher-log", Path.Combine(Path.GetTempPath(), "wb-soak-dispatcher.log")),
            a.Get("app", "src/WecomBridge/bin/Release/net10.0/WecomBridge.dll"), a.Get("gc", ""));
        break;
    case "sends":
        return await SendBench.RunAsync(a);
    case "faults":
        return await FaultsBench.RunAsync(a);
    case "pacing":
        return await PacingBench.RunAsync(a);
    case "pool":
        return await PoolBench.RunAsync(a);
    case "journeys":
        return await JourneysBench.RunAsync(a);
    case "limiter":
        Console.WriteLine(await LimiterBench.RunAsync(a.Required("redis"), a.Int("port", 18089), a.Int("limit", 100),
            TimeSpan.FromSeconds(a.Int("window-seconds", 5)), a.Int("count", 1200), a.Int("instances", 3), a.Int("callers", 16),
            double.Parse(a.Get("margin", "0.03"), System.Globalization.CultureInfo.InvariantCulture), a.Get("shape", "paced"),
            TimeSpan.FromMilliseconds(a.Int("jitter-ms", 0))));
        break;
    case "outage":
        return await Outage.RunAsync(a);
    case "fixture":
        SoakFixture.Write(a.Required("out"));
        break;
    case "plot-series":
        Plot.Series(a.Required("results"), a.Required("out"), a.Get("caption", ""));
        break;
    case "plot-soak":
        Plot.Soak(a.Required("results"), a.Required("out"), a.Get("caption", ""));
        break;
    default:
        Console.Error.WriteLine("usage: micro | load | ceiling-broker | serve-http | bind | stages | sends | bind-mixed | series-step | soak | plot-series | plot-soak (see Program.cs)");
        return 2;
}
return 0;

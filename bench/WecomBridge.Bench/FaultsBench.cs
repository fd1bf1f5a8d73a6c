using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Bench;

/// <summary>
/// Long fault drills (bench/faults.sh): a dispatcher process (role Dispatcher, this run's RabbitMQ and Redis) sends
/// customer tasks against the WeCom fake hosted here, a steady stream through POST /api/v1/messages, while the fake
/// answers one fault for a while (5xx, errcode 45009, errcode 45033, or answers slower than the client waits). For
/// each fault: what became of every send accepted before, during and after the fault, how many tasks the fake created
/// and whether any twice, and how long the last result took. One FAULT line per fault.
/// </summary>
internal static class FaultsBench
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const string Prefix = "wbfaults";

    public static async Task<int> RunAsync(Args a)
    {
        var amqp = a.Required("amqp");
        var hold = TimeSpan.FromSeconds(a.Int("hold-seconds", 60));
        var rate = double.Parse(a.Get("rate", "5"), CultureInfo.InvariantCulture);
        var log = a.Get("log", Path.Combine(Path.GetTempPath(), "wb-faults-bridge.log"));
        using var wecom = WeComFake.Start(new FakeOptions { Fixture = SendBench.MakeFixture(0) });
        using var oa = OfficialAccountFake.Start(new FakeOptions { Fixture = SendBench.MakeFixture(0) });
        var spool = Directory.CreateTempSubdirectory("wb-faults-spool");
        var url = $"http://127.0.0.1:{SendBench.FreePort()}";
        var env = SendBench.BridgeEnv(url, amqp, a.Required("redis"), $"http://127.0.0.1:{wecom.Port}/", $"http://127.0.0.1:{oa.Port}/", spool.FullName, Prefix);
        env["Bridge__Roles__0"] = "Dispatcher";
        // One sender and one customer take the whole stream: WeCom's per-sender and per-customer caps would refuse it.
        env["Dispatch__Defaults__SenderTasksPerDay"] = "1000000";
        env["Dispatch__Defaults__CustomerCap__Limit"] = "1000000";
        // Shorter than the defaults (5 s ×4 up to 10 min; a 60 s pause per 45009), so that a drill ends in minutes.
        env["Dispatch__RetryBaseDelay"] = a.Get("retry-base", "00:00:02");
        env["Dispatch__RetryMaxDelay"] = a.Get("retry-max", "00:00:30");
        env["Dispatch__ThrottlePause"] = a.Get("throttle-pause", "00:00:10");
        using var bridge = SendBench.StartBridge(a.Get("app", "src/WecomBridge/bin/Release/net10.0/WecomBridge.dll"), log, env);
        try
        {
            await SendBench.WaitReadyAsync(url, bridge, log);
            await using var results = await SendBench.Results.StartAsync(amqp);
            using var api = new SendBench.Api(url, 8);
            var warm = await api.SendManyAsync("faults-warmup", 20, 4, TimeSpan.FromSeconds(30), i => TaskBody("warmup", i), results);
            await results.WaitAllAsync(warm.Accepted.Keys, TimeSpan.FromSeconds(60));
            foreach (var fault in a.Get("faults", "5xx,45009,45033,slow").Split(','))
            {
                Console.WriteLine(await DrillAsync(fault, hold, rate, wecom, api, results));
                if (bridge.HasExited) throw new InvalidOperationException($"WecomBridge exited with {bridge.ExitCode} during {fault}");
            }
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"faults: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine(string.Join('\n', SendBench.TailOf(log, 30)));
            return 1;
        }
        finally
        {
            SendBench.Kill(bridge);
            await bridge.WaitForExitAsync();
            try { spool.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<string> DrillAsync(string fault, TimeSpan hold, double rate, WeComFake wecom, SendBench.Api api, SendBench.Results results)
    {
        var lead = TimeSpan.FromSeconds(5);
        var tail = TimeSpan.FromSeconds(10);
        var sends = new List<(string Id, string Phase)>();
        var refused = 0;
        var started = Stopwatch.StartNew();
        Fault? injected = null;
        using (var pace = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate)))
        {
            for (var i = 0; started.Elapsed < lead + hold + tail && await pace.WaitForNextTickAsync(); i++)
            {
                if (injected is null && started.Elapsed >= lead)
                    injected = fault switch
                    {
                        "5xx" => wecom.Faults.HttpStatus(503, MsgTemplate, lasting: hold),
                        "45009" => wecom.Faults.ErrCode(45009, MsgTemplate, lasting: hold),
                        "45033" => wecom.Faults.ErrCode(45033, MsgTemplate, lasting: hold),
                        "slow" => wecom.Faults.Latency(TimeSpan.FromSeconds(20), MsgTemplate, lasting: hold),
                        _ => throw new ArgumentException($"--faults: unknown fault {fault} (5xx, 45009, 45033, slow)"),
                    };
                var phase = started.Elapsed < lead ? "before" : started.Elapsed < lead + hold ? "during" : "after";
                var (status, id) = await api.PostAsync(TaskBody(fault, i));
                if (id is null) refused++;
                else sends.Add((id, phase));
            }
        }
        var posted = started.Elapsed;
        var ids = sends.Select(s => s.Id).ToArray();
        await results.WaitAllAsync(ids, hold + TimeSpan.FromMinutes(3));
        var drained = started.Elapsed - posted;

        var marker = $"fault {fault} #";
        int Created() => wecom.Data.MsgTemplates.ToArray().Count(t => t.Request.ToJsonString().Contains(marker, StringComparison.Ordinal));
        // Calls slowed past the client's wait still complete at the fake: let them land (bounded), then count.
        var settle = Stopwatch.StartNew();
        var seen = -1;
        while (settle.Elapsed < TimeSpan.FromSeconds(30) && Created() != seen)
        {
            seen = Created();
            await Task.Delay(1000);
        }
        var tasks = wecom.Data.MsgTemplates.ToArray()
            .Select(t => t.Request.ToJsonString()).Where(r => r.Contains(marker, StringComparison.Ordinal)).ToArray();
        var twice = tasks.GroupBy(TaskNumber).Count(g => g.Count() > 1);
        var calls = wecom.Journal.For(MsgTemplate).Where(c => c.Body.Contains(marker, StringComparison.Ordinal)).ToArray();

        string State(string id) =>
            results.Sent.ContainsKey(id) ? "sent"
            : results.Failed.TryGetValue(id, out var exchange) ? (exchange.EndsWith("outcome-unknown", StringComparison.Ordinal) ? "ambiguous" : "failed")
            : "none";
        string Count(string phase, string state) => sends.Count(s => (phase == "all" || s.Phase == phase) && State(s.Id) == state).ToString(CultureInfo.InvariantCulture);
        var after = sends.Where(s => s.Phase == "after").ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"FAULT name={fault} hold_s={hold.TotalSeconds:F0} rate={rate} accepted={sends.Count} refused={refused} " +
            $"before={sends.Count(s => s.Phase == "before")} during={sends.Count(s => s.Phase == "during")} after={after.Length} " +
            $"sent={Count("all", "sent")} ambiguous={Count("all", "ambiguous")} failed={Count("all", "failed")} none={Count("all", "none")} " +
            $"during_sent={Count("during", "sent")} during_ambiguous={Count("during", "ambiguous")} during_failed={Count("during", "failed")} " +
            $"after_sent={after.Count(s => State(s.Id) == "sent")} " +
            $"created={tasks.Length} created_twice={twice} calls={calls.Length} " +
            $"faulted_calls={calls.Count(c => c.StatusCode >= 500 || c.ErrCode is 45009 or 45033)} fault_uses={wecom.Faults.Uses(injected!)} " +
            $"results_twice={ids.Count(id => results.Events.GetValueOrDefault(id) > 1)} last_result_s={drained.TotalSeconds:F1} {SendBench.LoadAvg()}");
    }

    private static string TaskNumber(string request)
    {
        var at = request.IndexOf(" #", StringComparison.Ordinal);
        var end = request.IndexOf('"', at);
        return request[at..end];
    }

    private static string TaskBody(string fault, int i) => JsonSerializer.Serialize(new
    {
        kind = "customer-task", corp = Fixtures.Corp,
        customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice" }, text = $"fault {fault} #{i:D5}" },
    });
}

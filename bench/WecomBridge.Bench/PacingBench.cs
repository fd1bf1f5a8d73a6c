using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using WecomBridge.Fakes;

namespace WecomBridge.Bench;

/// <summary>
/// `pacing` mode (bench/pacing.sh): N WecomBridge processes (roles Gateway+Dispatcher, one RabbitMQ, one Redis, shared
/// queues) against the WeCom fake hosted here, which limits add_msg_template as WeCom does (per corp, counted by arrival
/// in a sliding window, 45009 over it). Corp `pace` (the fake's corp under its own key) has the same limit in
/// Dispatch:Corps:pace; the bench corp keeps a generous one, so welcomes are paced by their own bucket only.
/// 1. pacing: customer tasks of corp pace through POST /api/v1/messages (round robin over the instances): refusals at the
///    fake, elapsed, share of the limit used, tasks created once, CPU per send;
/// 2. welcomes (PacingWelcomes.cs): contact-added callbacks at R/s through the gateways while bulk sends (template
///    messages, at a generous limit) fill the send queue: latency from the callback's POST to the fake's receipt of
///    send_welcome_msg.
/// Prints RESULT lines (bench/pacing.sh turns them into docs/benchmarks-pacing.md).
/// </summary>
internal static partial class PacingBench
{
    internal const string PaceCorp = "pace";
    internal const string TaskPath = "/cgi-bin/externalcontact/add_msg_template";
    private const string Prefix = "wbpace";
    private const double ClockTicks = 100; // USER_HZ of /proc/PID/stat
    private const int WarmWelcomes = 30;

    internal sealed record Options(string Amqp, string Redis, string AppDll, string LogDir, int Instances, int Tasks, int Limit,
        TimeSpan Window, double WelcomeRate, int WelcomeSeconds, int Bulk, int Connections);

    public static async Task<int> RunAsync(Args a)
    {
        var o = new Options(a.Required("amqp"), a.Required("redis"), a.Get("app", "src/WecomBridge/bin/Release/net10.0/WecomBridge.dll"),
            a.Get("log-dir", Path.GetTempPath()), a.Int("instances", 3), a.Int("tasks", 1200), a.Int("limit", 100),
            TimeSpan.FromSeconds(a.Int("window-seconds", 5)), double.Parse(a.Get("welcome-rate", "50"), CultureInfo.InvariantCulture),
            a.Int("welcome-seconds", 20), a.Int("bulk", 3000), a.Int("connections", 16));
        var welcomeCount = (int)Math.Ceiling(o.WelcomeRate * o.WelcomeSeconds);
        using var wecom = WeComFake.Start(new FakeOptions { Fixture = SendBench.MakeFixture(welcomeCount + WarmWelcomes), KeepCalls = null });
        using var oa = OfficialAccountFake.Start(new FakeOptions { Fixture = SendBench.MakeFixture(0) });
        var bridges = new List<(Process Process, string Url, string Log, DirectoryInfo Spool)>();
        using var stopOnSignal = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => bridges.ForEach(b => SendBench.Kill(b.Process)));
        using var stopOnInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => bridges.ForEach(b => SendBench.Kill(b.Process)));
        try
        {
            for (var k = 0; k < o.Instances; k++) bridges.Add(StartInstance(k, o, wecom, oa));
            foreach (var b in bridges) await SendBench.WaitReadyAsync(b.Url, b.Process, b.Log);
            Console.WriteLine("bridges " + string.Join(' ', bridges.Select(b => $"pid={b.Process.Id} url={b.Url} log={b.Log}")));
            await using var results = await SendBench.Results.StartAsync(o.Amqp);
            var apis = bridges.Select(b => new SendBench.Api(b.Url, o.Connections)).ToArray();
            var cpu = new ProcCpu(string.Join(',', bridges.Select((b, k) => $"d{k}:{b.Process.Id}")));

            // Warm-up (not measured): JIT in every instance, the shared access token, the welcome path.
            var warm = await PostManyAsync("pacing-warmup", 20 * o.Instances, o.Connections, apis, i => TaskBody(Fixtures.Corp, "warm", i), results);
            await results.WaitAllAsync(warm.Keys, TimeSpan.FromSeconds(60));
            var urls = bridges.Select(b => b.Url).ToArray();
            await PacingWelcomes.RunAsync("pacing-welcome-warmup", "a", 0, urls, wecom, 10, WarmWelcomes / 10, null, null);
            Alive(bridges, "the warm-up");

            wecom.Limits.Set(TaskPath, o.Limit, o.Window);
            wecom.Limits.ClearArrivals();
            var before = cpu.Read();
            var run = await PostManyAsync("pacing", o.Tasks, o.Connections, apis, i => TaskBody(PaceCorp, "pace", i), results);
            var fastest = TimeSpan.FromTicks(o.Window.Ticks * (long)Math.Ceiling((double)o.Tasks / o.Limit));
            await results.WaitAllAsync(run.Keys, fastest * 8 + TimeSpan.FromSeconds(60));
            Console.WriteLine(PacingLine(o, run, results, wecom, CpuSeconds(before, cpu.Read(), o.Instances)));
            Alive(bridges, "the pacing run");

            // Welcomes alone, then the same while bulk sends fill the queue: what the bulk sends take from the welcome path.
            wecom.Journal.Clear();
            before = cpu.Read();
            var logs = bridges.Select(b => b.Log).ToArray();
            var marks = PacingStages.Mark(logs);
            var alone = await PacingWelcomes.RunAsync("pacing-welcome-alone", "a", WarmWelcomes, urls, wecom, o.WelcomeRate, o.WelcomeSeconds, null, null);
            Console.WriteLine(alone + string.Create(CultureInfo.InvariantCulture, $" cpu_s={CpuSeconds(before, cpu.Read(), o.Instances):F2}"));
            Console.WriteLine(PacingStages.Line("pacing-welcome-alone", logs, marks));
            Alive(bridges, "the welcomes alone");

            wecom.Journal.Clear();
            before = cpu.Read();
            // Bulk sends at a generous limit (Official Account template messages), posted through the whole welcome run
            // (closed loop) and dispatched as fast as the instances can: the most they can take from the welcome path.
            var bulk = new ConcurrentDictionary<string, int>();
            var posting = PostManyAsync("pacing-bulk", o.Bulk, o.Connections, apis, SendBench.Template, results, bulk);
            await Task.Delay(1000); // the bulk sends are flowing before the first callback
            marks = PacingStages.Mark(logs);
            var welcome = await PacingWelcomes.RunAsync("pacing-welcome", "b", 0, urls, wecom, o.WelcomeRate, o.WelcomeSeconds, bulk, results);
            await posting;
            var cpuSeconds = CpuSeconds(before, cpu.Read(), o.Instances);
            Console.WriteLine(welcome + string.Create(CultureInfo.InvariantCulture,
                $" bulk_queued={bulk.Count} cpu_s={cpuSeconds:F2}"));
            Console.WriteLine(PacingStages.Line("pacing-welcome", logs, marks));
            Alive(bridges, "the welcome run");
            foreach (var api in apis) api.Dispose();
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"pacing: {e.GetType().Name}: {e.Message}");
            foreach (var b in bridges) Console.Error.WriteLine(string.Join('\n', SendBench.TailOf(b.Log, 10)));
            return 1;
        }
        finally
        {
            foreach (var b in bridges)
            {
                SendBench.Kill(b.Process);
                await b.Process.WaitForExitAsync();
                try { b.Spool.Delete(recursive: true); } catch (IOException) { }
            }
        }
    }

    private static (Process, string, string, DirectoryInfo) StartInstance(int k, Options o, WeComFake wecom, OfficialAccountFake oa)
    {
        var spool = Directory.CreateTempSubdirectory($"wb-pacing-spool{k}");
        var url = $"http://127.0.0.1:{SendBench.FreePort()}";
        var log = Path.Combine(o.LogDir, $"wb-pacing-bridge{k}.log");
        var env = SendBench.BridgeEnv(url, o.Amqp, o.Redis, $"http://127.0.0.1:{wecom.Port}/", $"http://127.0.0.1:{oa.Port}/", spool.FullName, Prefix);
        // One token prefix for all instances: they share the access tokens, as instances of one deployment do.
        env["ApiClients__TokenKeyPrefix"] = $"bench:pacing:{wecom.Port}:token:";
        env["Logging__LogLevel__WecomBridge.Sending.Welcome.WelcomeWork"] = "Debug"; // "Welcome stages" lines (PacingStages.cs)
        env["Bridge__Roles__0"] = "Gateway";
        env["Bridge__Roles__1"] = "Dispatcher";
        env[$"WeCom__Corps__{Fixtures.Corp}__Apps__{Fixtures.App}__Welcome__default__Text"] = "Hi, thanks for adding us";
        env[$"WeCom__Corps__{PaceCorp}__CorpId"] = Fixtures.CorpId;
        env[$"WeCom__Corps__{PaceCorp}__ContactSecret"] = "bench";
        env["SendApi__ApiKeys__0__Corps__1"] = PaceCorp;
        env[$"Dispatch__Corps__{PaceCorp}__ApiCallsPerMinute"] = o.Limit.ToString(CultureInfo.InvariantCulture);
        env[$"Dispatch__Corps__{PaceCorp}__ApiCallsWindow"] = o.Window.ToString("c", CultureInfo.InvariantCulture);
        // One sender and one customer take every task: the sender's and the customer's caps are lifted.
        env["Dispatch__Defaults__SenderTasksPerDay"] = "100000000";
        env["Dispatch__Defaults__CustomerCap__Limit"] = "100000000";
        return (SendBench.StartBridge(o.AppDll, log, env), url, log, spool);
    }

    /// <summary>POSTs body(i) for i &lt; count, round robin over the instances, `connections` at a time: message id → i.</summary>
    internal static async Task<ConcurrentDictionary<string, int>> PostManyAsync(string name, int count, int connections, SendBench.Api[] apis,
        Func<int, string> body, SendBench.Results results, ConcurrentDictionary<string, int>? into = null)
    {
        var accepted = into ?? new ConcurrentDictionary<string, int>();
        var load = await ClosedLoop.RunAsync(name, count, connections, TimeSpan.FromMinutes(5), async (i, _) =>
        {
            var (status, id) = await apis[i % apis.Length].PostAsync(body(i));
            if (id is not null) accepted[id] = i;
            return status == 202 ? 200 : status;
        });
        if (accepted.Count < count) Console.Error.WriteLine($"{name}: {count - accepted.Count} of {count} not accepted ({load.Codes})");
        return accepted;
    }

    private static string TaskBody(string corp, string run, int i) => JsonSerializer.Serialize(new
    {
        kind = "customer-task", corp,
        customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice" }, text = $"{run} #{i:D6}" },
    });

    private static double CpuSeconds(long[] before, long[] after, int processes) =>
        Enumerable.Range(0, processes).Sum(k => after[k] - before[k]) / ClockTicks;

    private static void Alive(List<(Process Process, string Url, string Log, DirectoryInfo Spool)> bridges, string during)
    {
        foreach (var b in bridges)
            if (b.Process.HasExited) throw new InvalidOperationException($"WecomBridge (pid {b.Process.Id}) exited with {b.Process.ExitCode} during {during}");
    }
}

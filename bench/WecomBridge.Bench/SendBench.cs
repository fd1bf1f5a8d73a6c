using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Fakes.Data;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Bench;

/// <summary>
/// The dispatcher's benchmark (issue #6), `sends` mode: hosts the WeCom and Official Account fakes in this process,
/// starts the real WecomBridge (Release build, roles Gateway+Dispatcher, Production, the given RabbitMQ and Redis)
/// pointed at them, runs three scenarios and kills it again:
/// 1. throughput: template messages through POST /api/v1/messages at C connections (closed loop, generous limit),
///    timed until each one's MessageSent arrived on a queue of this process;
/// 2. limiter: moment tasks of corp `tight` (limit L calls per 1 s window) for about S s, the fake's journal
///    timestamps against the limit;
/// 3. welcomes: add_external_contact callbacks with distinct welcome codes at R/s (open loop), latency from the
///    callback's POST to the fake's send_welcome_msg; again while bulk template sends run (the priority path).
/// Prints RESULT lines (bench/report.sh) and CPU lines (the bridge and the watched processes).
/// </summary>
internal static class SendBench
{
    private const string Key = "bench-send-key-0123456789";
    private const string Account = "benchoa";
    private const string TightCorp = "tight";
    private const string Prefix = "wbsend"; // its own queues: nothing left on the gateway runs' queues reaches it
    private const string WelcomeText = "Hi, thanks for adding us";
    private const int Followers = 200;
    private const string MomentPath = "/cgi-bin/externalcontact/add_moment_task";
    private const string WelcomePath = "/cgi-bin/externalcontact/send_welcome_msg";
    private static readonly string[] ResultExchanges = ["wecombridge.message-sent", "wecombridge.message-failed", "wecombridge.message-outcome-unknown"];

    private sealed record Options(string Amqp, string Redis, string AppDll, string Log, int Count, int Connections, TimeSpan MaxTime,
        int TightLimit, int TightSeconds, double WelcomeRate, int WelcomeSeconds, bool WelcomeWithBulk, string Watch);

    public static async Task<int> RunAsync(Args a)
    {
        var o = new Options(a.Required("amqp"), a.Required("redis"),
            a.Get("app", "src/WecomBridge/bin/Release/net10.0/WecomBridge.dll"), a.Get("log", Path.Combine(Path.GetTempPath(), "wb-sends-bridge.log")),
            a.Int("count", 3000), a.Int("connections", 32), TimeSpan.FromSeconds(a.Int("seconds", 60)),
            a.Int("tight-limit", 50), a.Int("tight-seconds", 10), double.Parse(a.Get("welcome-rate", "50"), CultureInfo.InvariantCulture),
            a.Int("welcome-seconds", 20), a.Get("welcome-bulk", "1") == "1", a.Get("watch", ""));
        var welcomeCount = (int)Math.Ceiling(o.WelcomeRate * o.WelcomeSeconds);

        using var wecom = WeComFake.Start(new FakeOptions { Fixture = MakeFixture(welcomeCount) });
        using var oa = OfficialAccountFake.Start(new FakeOptions { Fixture = MakeFixture(0) });
        var spool = Directory.CreateTempSubdirectory("wb-sends-spool");
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var env = BridgeEnv(url, o.Amqp, o.Redis, $"http://127.0.0.1:{wecom.Port}/", $"http://127.0.0.1:{oa.Port}/", spool.FullName, Prefix);
        var corp = $"WeCom__Corps__{TightCorp}__";
        env["Bridge__Roles__0"] = "Gateway";
        env["Bridge__Roles__1"] = "Dispatcher";
        env[$"WeCom__Corps__{Fixtures.Corp}__Apps__{Fixtures.App}__Welcome__default__Text"] = WelcomeText;
        env[corp + "CorpId"] = Fixtures.CorpId;
        env[corp + "ContactSecret"] = "bench";
        env["SendApi__ApiKeys__0__Corps__1"] = TightCorp;
        env[$"Dispatch__Corps__{TightCorp}__ApiCallsPerMinute"] = o.TightLimit.ToString(CultureInfo.InvariantCulture);
        env[$"Dispatch__Corps__{TightCorp}__ApiCallsWindow"] = "00:00:01";
        using var bridge = StartBridge(o.AppDll, o.Log, env);
        using var stopOnSignal = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Kill(bridge));
        using var stopOnInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Kill(bridge));
        try
        {
            await WaitReadyAsync(url, bridge, o.Log);
            Console.WriteLine($"bridge pid={bridge.Id} url={url} wecom={wecom.Port} oa={oa.Port} log={o.Log}");
            await using var results = await Results.StartAsync(o.Amqp);
            using var api = new Api(url, Math.Max(o.Connections, 16));
            var cpu = new ProcCpu(string.Join(',', new[] { o.Watch, $"bridge:{bridge.Id}" }.Where(w => w.Length > 0)));

            // Warm-up: JIT (tiered compilation), the OA token, the first connections; not measured.
            var warmups = Math.Max(200, o.Count / 3);
            var warm = await api.SendManyAsync("sends-warmup", warmups, o.Connections, TimeSpan.FromSeconds(60), i => Template(i), results);
            await results.WaitAllAsync(warm.Accepted.Keys, TimeSpan.FromSeconds(60));

            // 1. Throughput at a generous limit.
            var before = cpu.Read();
            var run = await api.SendManyAsync("sends-throughput", o.Count, o.Connections, o.MaxTime, i => Template(i), results);
            await results.WaitAllAsync(run.Accepted.Keys, TimeSpan.FromSeconds(60));
            var after = cpu.Read();
            Alive(bridge, "the throughput run");
            Console.WriteLine(run.Line(results) + $" warmup={warmups}");
            Console.WriteLine(cpu.Line("sends-throughput", before, after));

            // 2. The limiter at a tight limit: warm corp tight's token on another API (its own bucket), then moment tasks.
            var tightWarm = await api.SendManyAsync("tight-warmup", 2, 1, TimeSpan.FromSeconds(30), _ => CustomerTask(TightCorp), results);
            await results.WaitAllAsync(tightWarm.Accepted.Keys, TimeSpan.FromSeconds(30));
            wecom.Journal.Clear();
            var moments = o.TightLimit * o.TightSeconds;
            var tight = await api.SendManyAsync("sends-limiter", moments, 16, TimeSpan.FromSeconds(60), i => Moment(TightCorp, i), results);
            await results.WaitAllAsync(tight.Accepted.Keys, TimeSpan.FromSeconds(o.TightSeconds * 4 + 60));
            Alive(bridge, "the limiter run");
            Console.WriteLine(LimiterLine(tight, results, wecom.Journal.For(MomentPath), o.TightLimit, TimeSpan.FromSeconds(1)));

            // 3. Welcomes under a stream of contact-added callbacks, alone and with bulk sends at the same time.
            before = cpu.Read();
            var welcome = await WelcomesAsync("sends-welcome", "a", url, wecom, o, welcomeCount, null, results);
            Alive(bridge, "the welcome run");
            Console.WriteLine(welcome);
            Console.WriteLine(cpu.Line("sends-welcome", before, cpu.Read()));
            if (o.WelcomeWithBulk)
            {
                before = cpu.Read();
                welcome = await WelcomesAsync("sends-welcome-bulk", "b", url, wecom, o, welcomeCount, api, results);
                Alive(bridge, "the welcome run with bulk sends");
                Console.WriteLine(welcome);
                Console.WriteLine(cpu.Line("sends-welcome-bulk", before, cpu.Read()));
            }
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"sends: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine(string.Join('\n', TailOf(o.Log, 30)));
            return 1;
        }
        finally
        {
            Kill(bridge);
            await bridge.WaitForExitAsync();
            try { spool.Delete(recursive: true); } catch (IOException) { }
        }
    }

    // ---- the fixture, the bridge process ----

    /// <summary>The default fixture under the bench corp's id and secret, the customers the welcome callbacks add, and followers to send to.</summary>
    internal static Fixture MakeFixture(int welcomeCount)
    {
        var f = Fixture.Load();
        f.WeCom.CorpId = Fixtures.CorpId;
        f.WeCom.Secrets = ["bench"];
        foreach (var tag in new[] { "a", "b" })
            for (var i = 0; i < welcomeCount; i++)
                f.WeCom.ExternalContacts.Add(new ExternalContact
                {
                    ExternalUserId = Customer(tag, i), Name = "Customer " + i, Type = 1,
                    FollowUsers = [new FollowUser { UserId = "zhangsan", Remark = "", CreateTime = 1700001000, AddWay = 1, State = "bench" }],
                });
        for (var k = 0; k < Followers; k++)
            f.OfficialAccount.Followers.Add(new Follower { OpenId = $"oBench{k:D3}", SubscribeTime = 1700000000 });
        return f;
    }

    internal static string Customer(string tag, int i) => $"wmwel{tag}{i:D6}";
    internal static string WelcomeCode(string tag, int i) => $"WBENCH{tag}{i:D6}";

    /// <summary>
    /// The environment of a WecomBridge (Production, servers mode) on these fakes: the bench corp and app of Fixtures.cs,
    /// Official Account `benchoa` (the default fixture's), an API key (Key) for both, no quiet hours, a generous call
    /// limit, its own token keys and queue prefix. The caller adds the roles and anything else.
    /// </summary>
    internal static Dictionary<string, string> BridgeEnv(string url, string amqp, string redis, string wecomUrl, string oaUrl, string spool, string prefix)
    {
        var corp = $"WeCom__Corps__{Fixtures.Corp}__";
        var app = $"{corp}Apps__{Fixtures.App}__";
        return new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = url,
            ["ConnectionStrings__RabbitMq"] = amqp, ["ConnectionStrings__Redis"] = redis, ["Messaging__EndpointPrefix"] = prefix,
            ["Polling__Moments__Enabled"] = "false",
            ["WeCom__BaseUrl"] = wecomUrl, ["OfficialAccounts__BaseUrl"] = oaUrl,
            [corp + "CorpId"] = Fixtures.CorpId, [corp + "ContactSecret"] = "bench",
            [app + "AgentId"] = "1000002", [app + "Secret"] = "bench", [app + "Token"] = Fixtures.Token,
            [app + "EncodingAesKey"] = Fixtures.EncodingAesKey,
            [$"OfficialAccounts__Accounts__{Account}__AppId"] = "wxfakeofficialacc", [$"OfficialAccounts__Accounts__{Account}__Secret"] = "oa-secret",
            [$"OfficialAccounts__Accounts__{Account}__Token"] = "benchOaToken0123456789",
            ["SendApi__ApiKeys__0__Name"] = "bench", ["SendApi__ApiKeys__0__KeyHash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
            ["SendApi__ApiKeys__0__Corps__0"] = Fixtures.Corp, ["SendApi__ApiKeys__0__Accounts__0"] = Account,
            ["Dispatch__Defaults__QuietHours__Enabled"] = "false", ["Dispatch__Defaults__ApiCallsPerMinute"] = "1000000",
            // Tokens cached in Redis by an earlier fake (an earlier run, the series' fakes) are unknown to these fakes.
            ["ApiClients__TokenKeyPrefix"] = $"bench:sends:{Guid.NewGuid():N}:token:",
            ["Gateway__Spool__Path"] = spool,
            ["Logging__LogLevel__Default"] = "Warning", ["Logging__LogLevel__MassTransit"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information", // "Application is shutting down" if it is stopped
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false", // no outbound calls from the bench (bench/gateway-env.sh)
        };
    }

    /// <summary>Starts the app with exactly this NAME__KEY environment (none inherited); its output goes to `log`.</summary>
    internal static Process StartBridge(string appDll, string log, IReadOnlyDictionary<string, string> env)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(appDll);
        // Settings inherited from bench/run.sh's own gateway (exported NAME__KEY variables) must not leak in.
        foreach (var name in start.Environment.Keys.Where(k => k.Contains("__") || k.StartsWith("ASPNETCORE_") || k == "DOTNET_ENVIRONMENT").ToArray())
            start.Environment.Remove(name);
        foreach (var (k, v) in env) start.Environment[k] = v;
        var process = Process.Start(start)!;
        var writer = new StreamWriter(log, append: false) { AutoFlush = true };
        void Write(string? line) { if (line is null) return; lock (writer) writer.WriteLine(line); }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Alive(Process bridge, string during)
    {
        if (bridge.HasExited) throw new InvalidOperationException($"WecomBridge (pid {bridge.Id}) exited with {bridge.ExitCode} during {during}");
    }

    internal static void Kill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    internal static async Task WaitReadyAsync(string url, Process bridge, string log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (bridge.HasExited) throw new InvalidOperationException($"WecomBridge exited with {bridge.ExitCode} (log: {log})");
            try { if ((await http.GetAsync(url + "/health/ready")).IsSuccessStatusCode) return; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(300);
        }
        throw new TimeoutException($"WecomBridge not ready within 90 s (log: {log})");
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    internal static IEnumerable<string> TailOf(string path, int n)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = new Queue<string>();
            while (reader.ReadLine() is { } line) { lines.Enqueue(line); if (lines.Count > n) lines.Dequeue(); }
            return lines;
        }
        catch (IOException) { return []; }
    }

    // ---- send bodies ----

    internal static string Template(int i) => JsonSerializer.Serialize(new
    {
        kind = "template", account = Account,
        template = new { openId = $"oBench{i % Followers:D3}", templateId = "TPL_ORDER_SHIPPED", data = new { thing1 = "Order " + i, time2 = "2026-11-23" } },
    });

    private static string Moment(string corp, int i) => JsonSerializer.Serialize(new
    {
        kind = "moment-task", corp, momentTask = new { text = "Bench moment " + i },
    });

    private static string CustomerTask(string corp) => JsonSerializer.Serialize(new
    {
        kind = "customer-task", corp, customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice" }, text = "Warm-up" },
    });

    // ---- the send API client and the result events ----

    /// <summary>Accepted sends of one run: message id → (POST start, 202 answer), as Stopwatch timestamps.</summary>
    internal sealed class Run(string name, int connections)
    {
        public ConcurrentDictionary<string, (long Start, long Accepted)> Accepted { get; } = new();
        public LoadResult? Load { get; set; }

        public string Line(Results results)
        {
            var load = Load!;
            var sent = Accepted.Where(p => results.Sent.ContainsKey(p.Key)).Select(p => (p.Value, At: results.Sent[p.Key])).ToArray();
            var failed = Accepted.Keys.Count(results.Failed.ContainsKey);
            var first = Accepted.Values.Select(v => v.Start).DefaultIfEmpty().Min();
            var last = sent.Select(s => s.At).DefaultIfEmpty(first).Max();
            var e2eSeconds = Math.Max(1e-3, (last - first) / (double)Stopwatch.Frequency);
            var acceptToSent = sent.Select(s => Math.Max(0, s.At - s.Value.Accepted) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
            var postToSent = sent.Select(s => (s.At - s.Value.Start) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
            return string.Create(CultureInfo.InvariantCulture,
                $"RESULT name={name} connections={connections} requests={load.Requests} accepted={Accepted.Count} non202={load.Requests - Accepted.Count} " +
                $"codes={load.Codes} seconds={load.Seconds:F2} accepted_per_s={Accepted.Count / load.Seconds:F0} " +
                $"p50_ms={load.P50Ms:F2} p99_ms={load.P99Ms:F2} max_ms={load.MaxMs:F2} " +
                $"sent={sent.Length} failed={failed} missing={Accepted.Count - sent.Length - failed} sent_seconds={e2eSeconds:F2} sent_per_s={sent.Length / e2eSeconds:F0} " +
                $"sent_p50_ms={LoadResult.Percentile(acceptToSent, 0.5):F2} sent_p99_ms={LoadResult.Percentile(acceptToSent, 0.99):F2} " +
                $"e2e_p50_ms={LoadResult.Percentile(postToSent, 0.5):F2} e2e_p99_ms={LoadResult.Percentile(postToSent, 0.99):F2} cpu_s={load.CpuSeconds:F2} {LoadAvg()}");
        }
    }

    internal sealed class Api : IDisposable
    {
        private readonly HttpClient _http;
        private readonly string _url;

        public Api(string url, int connections)
        {
            _url = url + "/api/v1/messages";
            _http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false,
            }) { Timeout = TimeSpan.FromSeconds(10) };
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        }

        /// <summary>POSTs body(i) for i &lt; count at `connections` at a time (closed loop; status -2: stopped before it was sent).</summary>
        public async Task<Run> SendManyAsync(string name, int count, int connections, TimeSpan maxTime, Func<int, string> body, Results results,
            CancellationToken stop = default)
        {
            var run = new Run(name, connections);
            run.Load = await ClosedLoop.RunAsync(name, count, connections, maxTime, async (i, _) =>
            {
                if (stop.IsCancellationRequested) return -2;
                var t0 = Stopwatch.GetTimestamp();
                var (status, id) = await PostAsync(body(i));
                if (id is not null) run.Accepted[id] = (t0, Stopwatch.GetTimestamp());
                return status;
            });
            return run;
        }

        /// <summary>POST /api/v1/messages: the status, and the message id when it was accepted (202).</summary>
        public async Task<(int Status, string? MessageId)> PostAsync(string body)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(_url, content);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Accepted) return ((int)response.StatusCode, null);
            return (202, JsonDocument.Parse(text).RootElement.GetProperty("messageId").GetString()!);
        }

        public void Dispose() => _http.Dispose();
    }

    /// <summary>A server-named queue of this process bound to the result exchanges: message id → arrival (Stopwatch timestamp).</summary>
    internal sealed class Results : IAsyncDisposable
    {
        private IConnection _connection = null!;
        private IChannel _channel = null!;
        public ConcurrentDictionary<string, long> Sent { get; } = new();
        public ConcurrentDictionary<string, string> Failed { get; } = new();
        /// <summary>Result events per message id (more than one: a result published twice).</summary>
        public ConcurrentDictionary<string, int> Events { get; } = new();

        public static async Task<Results> StartAsync(string amqp)
        {
            var r = new Results();
            r._connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-sends-results");
            r._channel = await r._connection.CreateChannelAsync();
            var queue = (await r._channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
            foreach (var exchange in ResultExchanges)
            {
                await r._channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false); // as the app declares it
                await r._channel.QueueBindAsync(queue, exchange, "");
            }
            var consumer = new AsyncEventingBasicConsumer(r._channel);
            consumer.ReceivedAsync += (_, d) =>
            {
                var at = Stopwatch.GetTimestamp();
                using var json = JsonDocument.Parse(d.Body);
                var id = json.RootElement.GetProperty("messageId").GetString()!;
                r.Events.AddOrUpdate(id, 1, (_, n) => n + 1);
                if (d.Exchange == ResultExchanges[0]) r.Sent.TryAdd(id, at);
                else r.Failed.TryAdd(id, d.Exchange);
                return Task.CompletedTask;
            };
            await r._channel.BasicConsumeAsync(queue, autoAck: true, consumer);
            return r;
        }

        /// <summary>Until every id has a result (sent or failed) or `within` passed.</summary>
        public async Task WaitAllAsync(ICollection<string> ids, TimeSpan within)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline && !ids.All(id => Sent.ContainsKey(id) || Failed.ContainsKey(id)))
                await Task.Delay(100);
        }

        public async ValueTask DisposeAsync()
        {
            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }

    // ---- scenario 2 ----

    private static string LimiterLine(Run run, Results results, IReadOnlyList<JournalEntry> journal, int limit, TimeSpan window)
    {
        var calls = journal.Where(e => e.ErrCode == 0).Select(e => e.Time).Order().ToArray();
        int Busiest(TimeSpan w) => calls.Length == 0 ? 0 : calls.Max(start => calls.Count(t => t >= start && t < start + w));
        var span = calls.Length < 2 ? TimeSpan.Zero : calls[^1] - calls[0];
        // At full use, n calls at `limit` per window need ceil(n / limit) windows; the last window's calls start at most
        // (ceil(n / limit) - 1) windows after the first.
        var windows = span / window + 1;
        var sent = run.Accepted.Keys.Count(results.Sent.ContainsKey);
        // Calls per window counted from the first call (windows laid end to end), to show where a busiest window lies.
        var perWindow = calls.Length == 0 ? "" : string.Join(',', calls.GroupBy(t => (int)((t - calls[0]) / window)).OrderBy(g => g.Key)
            .Select(g => g.Count()));
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=sends-limiter limit={limit} window_s={window.TotalSeconds:F1} requests={run.Load!.Requests} accepted={run.Accepted.Count} " +
            $"sent={sent} failed={run.Accepted.Keys.Count(results.Failed.ContainsKey)} calls={calls.Length} errors={journal.Count - calls.Length} " +
            $"max_in_window={Busiest(window)} max_in_window_950ms={Busiest(window - TimeSpan.FromMilliseconds(50))} span_s={span.TotalSeconds:F2} " +
            $"utilization={calls.Length / (limit * windows):F3} fastest_s={(Math.Ceiling((double)calls.Length / limit) - 1) * window.TotalSeconds:F1} per_window={perWindow} {LoadAvg()}");
    }

    // ---- scenario 3 ----

    private static async Task<string> WelcomesAsync(string name, string tag, string url, WeComFake wecom, Options o, int count, Api? bulk, Results results)
    {
        var simulator = new CallbackSimulator();
        var posted = new DateTimeOffset[count];
        var statuses = new int[count];
        wecom.Journal.Clear();

        using var stopBulk = new CancellationTokenSource();
        Task<Run>? bulkRun = null;
        if (bulk is not null)
        {
            bulkRun = bulk.SendManyAsync(name + "-bulk", 2 * o.Count, o.Connections, TimeSpan.FromSeconds(o.WelcomeSeconds + 1), i => Template(i), results, stopBulk.Token);
            await Task.Delay(1000); // the bulk sends are flowing before the first callback
        }
        using var loop = new OpenLoop(256);
        var sentCallbacks = await loop.RunAsync(o.WelcomeRate, TimeSpan.FromSeconds(o.WelcomeSeconds), count, i =>
        {
            // As WeCom does: the code is issued with the event, whose CreateTime is now (the 20 s window counts from it).
            wecom.IssueWelcomeCode("zhangsan", Customer(tag, (int)i), WelcomeCode(tag, (int)i));
            var now = DateTimeOffset.UtcNow;
            var callback = simulator.BuildWeComPost(Fixtures.WeComApp, WeComEvents.ExternalContact(Fixtures.CorpId, "add_external_contact", "zhangsan",
                Customer(tag, (int)i), state: "bench", welcomeCode: WelcomeCode(tag, (int)i), createTime: now.ToUnixTimeSeconds()));
            posted[i] = now;
            return LoadGenerator.Prepare(url, Fixtures.CallbackPath, [callback])[0];
        }, (i, status, _) => statuses[i] = status);
        var streamEnd = DateTime.UtcNow;
        await stopBulk.CancelAsync();
        var bulkDone = bulkRun is null ? null : await bulkRun;
        var bulkSentAtEnd = bulkDone is null ? 0 : bulkDone.Accepted.Keys.Count(results.Sent.ContainsKey);

        // Every code answered or expired: a welcome later than 20 s is refused by the fake (41051).
        var byCode = new Dictionary<string, JournalEntry>();
        while (true)
        {
            byCode.Clear();
            foreach (var e in wecom.Journal.For(WelcomePath))
            {
                string? code = null;
                try { code = JsonDocument.Parse(e.Body).RootElement.GetProperty("welcome_code").GetString(); } catch (Exception ex) when (ex is JsonException or KeyNotFoundException) { }
                if (code is not null && (!byCode.TryGetValue(code, out var seen) || seen.ErrCode != 0)) byCode[code] = e;
            }
            if (byCode.Count >= sentCallbacks || DateTime.UtcNow - streamEnd > TimeSpan.FromSeconds(25)) break;
            await Task.Delay(250);
        }
        var latencies = new List<double>();
        int sent = 0, within20 = 0, failed = 0, missing = 0;
        for (var i = 0; i < sentCallbacks; i++)
        {
            if (!byCode.TryGetValue(WelcomeCode(tag, i), out var e)) { missing++; continue; }
            if (e.ErrCode != 0) { failed++; continue; }
            sent++;
            var ms = (e.Time - posted[i]).TotalMilliseconds;
            latencies.Add(ms);
            if (ms <= 20_000) within20++;
        }
        var sorted = latencies.Order().ToArray();
        var ok = statuses.Take((int)sentCallbacks).Count(s => s == 200);
        var bulkText = "";
        if (bulkDone is not null)
        {
            bulkText = string.Create(CultureInfo.InvariantCulture,
                $"bulk_connections={o.Connections} bulk_accepted={bulkDone.Accepted.Count} bulk_accepted_per_s={bulkDone.Accepted.Count / bulkDone.Load!.Seconds:F0} bulk_sent={bulkSentAtEnd} ");
            await results.WaitAllAsync(bulkDone.Accepted.Keys, TimeSpan.FromSeconds(60)); // drain before the next run
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name={name} rate={o.WelcomeRate:F0} seconds={o.WelcomeSeconds} callbacks={sentCallbacks} ok={ok} non200={sentCallbacks - ok} late_starts={loop.LateStarts} " +
            $"welcomes_sent={sent} within_20s={within20} failed={failed} missing={missing} " +
            $"p50_ms={LoadResult.Percentile(sorted, 0.5):F1} p99_ms={LoadResult.Percentile(sorted, 0.99):F1} max_ms={(sorted.Length == 0 ? 0 : sorted[^1]):F1} {bulkText}{LoadAvg()}");
    }

    internal static string LoadAvg() => "loadavg=" + string.Join(',', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using WecomBridge.Fakes;

namespace WecomBridge.Bench;

/// <summary>
/// The soak's sends (BENCH_SOAK_SENDS): a second WecomBridge process with the Dispatcher role only (it serves
/// POST /api/v1/messages and sends), started as SendBench starts its own, against WeCom/OA fakes hosted in this
/// process (so that their journals can be read), on the soak's RabbitMQ and Redis. Template messages to the fake
/// Official Account at a steady rate, open loop, from the moment each was due. The call limit is far above the rate
/// and quiet hours are off, so nothing is throttled or deferred by design. Interval() gives the SOAK line's send
/// columns, Summary() the SOAKSUM's: every accepted send reached a final state (a result event: sent, failed or
/// outcome unknown), none was created twice at the fake (created items and calls per client_msg_id, which the
/// dispatcher sets to the message id), none lost.
/// </summary>
internal sealed class SoakSends : IAsyncDisposable
{
    private const string TemplatePath = "/cgi-bin/message/template/send";
    private readonly WeComFake _wecom;
    private readonly OfficialAccountFake _oa;
    private readonly Process _dispatcher;
    private readonly DirectoryInfo _spool;
    private readonly SendBench.Api _api;
    private readonly SendBench.Results _results;
    private readonly GcWatch _gc;
    private readonly PosixSignalRegistration[] _signals;
    private readonly OpenLoop _loop = new(256);
    private readonly object _gate = new();
    private readonly List<double> _window = [];
    private readonly ConcurrentDictionary<string, long> _accepted = new(); // message id → Stopwatch timestamp of the 202
    private long _posted, _non202, _windowAccepted, _windowOther, _started, _duration;

    public int Pid => _dispatcher.Id;

    private SoakSends(WeComFake wecom, OfficialAccountFake oa, Process dispatcher, DirectoryInfo spool, SendBench.Api api, SendBench.Results results)
    {
        (_wecom, _oa, _dispatcher, _spool, _api, _results) = (wecom, oa, dispatcher, spool, api, results);
        _gc = new GcWatch(dispatcher.Id);
        // As SendBench: the dispatcher does not outlive the bench when bench/soak.sh is stopped.
        _signals = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => SendBench.Kill(dispatcher)),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => SendBench.Kill(dispatcher))];
    }

    public static async Task<SoakSends> StartAsync(string amqp, string redis, string log, string appDll)
    {
        var wecom = WeComFake.Start(new FakeOptions { Fixture = SendBench.MakeFixture(0) });
        var oa = OfficialAccountFake.Start(new FakeOptions { Fixture = SendBench.MakeFixture(0) });
        var spool = Directory.CreateTempSubdirectory("wb-soak-dispatcher-spool");
        var url = $"http://127.0.0.1:{SendBench.FreePort()}";
        var env = SendBench.BridgeEnv(url, amqp, redis, $"http://127.0.0.1:{wecom.Port}/", $"http://127.0.0.1:{oa.Port}/", spool.FullName, "wbsoak");
        env["Bridge__Roles__0"] = "Dispatcher";
        var dispatcher = SendBench.StartBridge(appDll, log, env);
        try
        {
            await SendBench.WaitReadyAsync(url, dispatcher, log);
        }
        catch
        {
            SendBench.Kill(dispatcher);
            Console.Error.WriteLine(string.Join('\n', SendBench.TailOf(log, 30)));
            throw;
        }
        Console.Error.WriteLine($"soak: dispatcher pid={dispatcher.Id} url={url} (fake WeCom {wecom.Port}, fake OA {oa.Port}, log {log})");
        return new SoakSends(wecom, oa, dispatcher, spool, new SendBench.Api(url, 64), await SendBench.Results.StartAsync(amqp));
    }

    /// <summary>Template messages at `rate` per second for `duration`; returns when every POST was answered.</summary>
    public async Task RunAsync(double rate, TimeSpan duration)
    {
        (_started, _duration) = (Stopwatch.GetTimestamp(), (long)(duration.TotalSeconds * Stopwatch.Frequency));
        _posted = await _loop.RunAsync(rate, duration, long.MaxValue, i =>
        {
            var body = SendBench.Template((int)i);
            return async () =>
            {
                var (status, id) = await _api.PostAsync(body);
                if (id is not null) _accepted[id] = Stopwatch.GetTimestamp();
                return status;
            };
        }, (_, status, ms) =>
        {
            lock (_gate)
            {
                _window.Add(ms);
                if (status == 202) _windowAccepted++;
                else { _windowOther++; Interlocked.Increment(ref _non202); }
            }
        });
    }

    /// <summary>The SOAK line's send columns for the interval since the last call.</summary>
    public string Interval()
    {
        double[] ms;
        long accepted, other;
        lock (_gate)
        {
            ms = _window.ToArray();
            (accepted, other) = (_windowAccepted, _windowOther);
            _window.Clear();
            _windowAccepted = _windowOther = 0;
        }
        Array.Sort(ms);
        var gc = _gc.Take();
        var (rss, hwm) = ProcMemory.Read(_dispatcher.Id);
        return string.Create(CultureInfo.InvariantCulture,
            $"sends={ms.Length} sends_202={accepted} sends_non202={other} send_p50_ms={LoadResult.Percentile(ms, 0.5):F2} " +
            $"send_p99_ms={LoadResult.Percentile(ms, 0.99):F2} send_max_ms={(ms.Length == 0 ? 0 : ms[^1]):F2} sends_final={_results.Events.Count} " +
            $"disp_rss_mb={rss:F1} disp_hwm_mb={hwm:F1} disp_gcs={gc.Collections} disp_gen2={gc.Gen2} disp_pause_ms={gc.PauseMs:F1} ");
    }

    /// <summary>
    /// After the run: waits (at most `within`) until every accepted send has a result, then the SOAKSUM's send fields.
    /// </summary>
    public async Task<string> SummaryAsync(TimeSpan within)
    {
        var ids = _accepted.Keys.ToArray();
        await _results.WaitAllAsync(ids, within);
        await Task.Delay(2000); // a late second result or call would show up here
        if (_dispatcher.HasExited) Console.Error.WriteLine($"soak: the dispatcher exited with {_dispatcher.ExitCode}");

        // At the fake: calls and created template messages per client_msg_id (= message id).
        static string? ClientMsgId(string json)
        {
            try { return JsonDocument.Parse(json).RootElement.TryGetProperty("client_msg_id", out var p) ? p.GetString() : null; }
            catch (JsonException) { return null; }
        }
        var calls = _oa.Journal.For(TemplatePath).GroupBy(e => ClientMsgId(e.Body) ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        // Every send has its result by now (else send_no_final says so): the list no longer changes.
        var created = _oa.Data.SentTemplateMessages.ToArray().GroupBy(m => m.Request["client_msg_id"]?.ToString() ?? "(none)").ToDictionary(g => g.Key, g => g.Count());

        var sent = ids.Count(_results.Sent.ContainsKey);
        var failed = ids.Count(id => _results.Failed.TryGetValue(id, out var x) && x.EndsWith("failed"));
        var unknown = ids.Count(id => _results.Failed.TryGetValue(id, out var x) && x.EndsWith("unknown"));
        var noFinal = ids.Count(id => !_results.Sent.ContainsKey(id) && !_results.Failed.ContainsKey(id));
        var acceptToSent = ids.Where(_results.Sent.ContainsKey)
            .Select(id => Math.Max(0, _results.Sent[id] - _accepted[id]) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        // The same without the sends accepted in the first sixth of the run (the dispatcher's warm-up: JIT, token, connections).
        var afterWarmUp = ids.Where(id => _results.Sent.ContainsKey(id) && _accepted[id] - _started > _duration / 6)
            .Select(id => Math.Max(0, _results.Sent[id] - _accepted[id]) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        var (rss, hwm) = ProcMemory.Read(_dispatcher.Id);
        return string.Create(CultureInfo.InvariantCulture,
            $"send_posted={_posted} send_accepted={ids.Length} send_non202={Interlocked.Read(ref _non202)} send_sent={sent} send_failed={failed} " +
            $"send_unknown={unknown} send_no_final={noFinal} send_result_dup={_results.Events.Count(p => p.Value > 1)} " +
            $"send_fake_calls={calls.Values.Sum()} send_created={created.Values.Sum()} send_created_twice={created.Count(p => p.Value > 1)} " +
            $"send_called_twice={calls.Count(p => p.Value > 1)} send_sent_not_created={ids.Count(id => _results.Sent.ContainsKey(id) && !created.ContainsKey(id))} " +
            $"send_created_not_accepted={created.Keys.Count(id => !_accepted.ContainsKey(id))} " +
            $"send_to_sent_p50_ms={LoadResult.Percentile(acceptToSent, 0.5):F1} send_to_sent_p99_ms={LoadResult.Percentile(acceptToSent, 0.99):F1} " +
            $"send_to_sent_max_ms={(acceptToSent.Length == 0 ? 0 : acceptToSent[^1]):F1} " +
            $"send_to_sent_warm_p50_ms={LoadResult.Percentile(afterWarmUp, 0.5):F1} send_to_sent_warm_p99_ms={LoadResult.Percentile(afterWarmUp, 0.99):F1} send_late={_loop.LateStarts} disp_rss_mb={rss:F1} disp_hwm_mb={hwm:F1}");
    }

    public async ValueTask DisposeAsync()
    {
        SendBench.Kill(_dispatcher);
        await _dispatcher.WaitForExitAsync();
        foreach (var s in _signals) s.Dispose();
        _gc.Dispose();
        _loop.Dispose();
        _api.Dispose();
        await _results.DisposeAsync();
        _wecom.Dispose();
        _oa.Dispose();
        try { _spool.Delete(recursive: true); } catch (IOException) { }
    }
}

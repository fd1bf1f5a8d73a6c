using System.Text.RegularExpressions;
using StackExchange.Redis;
using WecomBridge.Contracts.Sending;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;
using Xunit.Abstractions;

namespace WecomBridge.Tests.Cluster;

/// <summary>
/// A dispatcher on a Redis Cluster of 3 masters and 3 replicas works off a stream of customer tasks against the WeCom
/// fake; one master is killed (SIGKILL) mid-stream and its replica promoted. Every send ends once, as sent (none
/// falsely ambiguous: the fake answers every call), and no task is created twice. The counts go to the test output.
/// </summary>
[Collection("drills")]
public sealed partial class ClusterFailoverDrill(ITestOutputHelper output)
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const int Before = 40;
    private const int After = 20;

    [Fact]
    public async Task Every_send_is_made_once_and_none_is_ambiguous_when_a_master_dies_and_its_replica_takes_over()
    {
        var dir = Path.Combine(TestServers.TempRoot, "redis-cluster-drill-" + Guid.NewGuid().ToString("N")[..8]);
        await ServersScript.RunAsync(["redis-cluster-start", dir, .. Enumerable.Range(0, 6).Select(_ => TestServers.FreePort().ToString())]);
        var taps = new Dictionary<string, AmqpTap>();
        try
        {
            foreach (var exchange in DispatcherRedisRestartDrill.Outcomes.Keys) taps[exchange] = await AmqpTap.BindAsync(TestServers.RabbitMq, exchange);
            await RunAsync(dir, taps);
        }
        finally
        {
            foreach (var tap in taps.Values) await tap.DisposeAsync();
            await ServersScript.RunAsync("redis-cluster-stop", dir);
        }
    }

    private async Task RunAsync(string dir, Dictionary<string, AmqpTap> taps)
    {
        var endpoints = (await File.ReadAllTextAsync(Path.Combine(dir, "endpoints"))).Trim();
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        settings["ConnectionStrings:Redis"] = endpoints;
        // The product's attempt timeout (tests shorten it to 3 s): on a loaded machine a call answered after a 3 s
        // failover wait would time out after leaving, an unknown outcome the drill is not about; the lease outlasts it.
        settings["ApiClients:AttemptTimeout"] = "00:00:10";
        settings["Dispatch:SendLease"] = "00:00:20";
        settings["Dispatch:ConcurrentSends"] = "4";
        await using var app = new DispatcherApp(settings);
        _ = app.Services;
        app.WeCom.Faults.Latency(TimeSpan.FromMilliseconds(100), MsgTemplate); // sends are mid-call when the master dies
        var tasks = Enumerable.Range(0, Before + After).Select(i => Task(corp, $"cluster drill task {i}")).ToArray();
        foreach (var task in tasks.Take(Before)) await app.PublishAsync(task);

        await Eventually.True(() => app.WeCom.Journal.Count(MsgTemplate) >= 5, TimeSpan.FromSeconds(60), "some sends made");
        using var watch = await ConnectionMultiplexer.ConnectAsync(endpoints);
        var victim = watch.GetServers().First(s => !s.IsReplica && s.IsConnected);
        var port = ((System.Net.IPEndPoint)victim.EndPoint).Port;
        var madeBefore = app.WeCom.Journal.Count(MsgTemplate);
        KillNode(dir, port);
        var survivor = watch.GetServers().First(s => ((System.Net.IPEndPoint)s.EndPoint).Port != port);
        await Eventually.True(async () => await PromotedAsync(survivor, port), TimeSpan.FromSeconds(60), "the replica promoted");
        output.WriteLine($"master 127.0.0.1:{port} killed after {madeBefore} calls; its replica promoted");
        foreach (var task in tasks.Skip(Before)) await app.PublishAsync(task);

        await FailoverSends.AssertEachSentOnceAsync(app, tasks, taps, output);
    }

    private static void KillNode(string dir, int port)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(dir, $"node-{port}", "redis.pid")).Trim());
        System.Diagnostics.Process.GetProcessById(pid).Kill();
    }

    /// <summary>A surviving node sees the cluster whole again, the dead node failed and every slot served.</summary>
    private static async Task<bool> PromotedAsync(IServer survivor, int deadPort)
    {
        try
        {
            var info = (string)(await survivor.ExecuteAsync("CLUSTER", "INFO"))!;
            var nodes = (string)(await survivor.ExecuteAsync("CLUSTER", "NODES"))!;
            return info.Contains("cluster_state:ok") && SlotsOk().IsMatch(info)
                && nodes.Split('\n').Any(l => l.Contains($":{deadPort}@") && l.Contains("fail"));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false; // the survivor is busy with the failover: ask again
        }
    }

    [GeneratedRegex(@"cluster_slots_ok:16384\b")]
    private static partial Regex SlotsOk();

    private static SendRequested Task(string corp, string text) => DispatcherRedisRestartDrill.Task(corp, text);
}

using StackExchange.Redis;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;
using Xunit.Abstractions;

namespace WecomBridge.Tests.Cluster;

/// <summary>
/// A dispatcher on Redis behind Sentinel (a master, its replica, 3 Sentinels; the connection string names the Sentinels
/// and the service) works off a stream of customer tasks against the WeCom fake; the master is killed (SIGKILL)
/// mid-stream and the Sentinels promote the replica. The client follows the new master: every send ends once, as sent
/// (none falsely ambiguous: the fake answers every call), and no task is created twice. The counts go to the test output.
/// </summary>
[Collection("drills")]
public sealed class SentinelFailoverDrill(ITestOutputHelper output)
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const int Before = 30;
    private const int After = 20;

    [Fact]
    public async Task Every_send_is_made_once_and_none_is_ambiguous_when_the_master_dies_and_sentinel_promotes_its_replica()
    {
        var dir = Path.Combine(TestServers.TempRoot, "redis-sentinel-drill-" + Guid.NewGuid().ToString("N")[..8]);
        var master = TestServers.FreePort();
        var replica = TestServers.FreePort();
        int[] sentinels = [TestServers.FreePort(), TestServers.FreePort(), TestServers.FreePort()];
        await ServersScript.RunAsync(["redis-sentinel-start", dir, .. new[] { master, replica }.Concat(sentinels).Select(p => p.ToString())]);
        var taps = new Dictionary<string, AmqpTap>();
        try
        {
            foreach (var exchange in DispatcherRedisRestartDrill.Outcomes.Keys) taps[exchange] = await AmqpTap.BindAsync(TestServers.RabbitMq, exchange);
            await RunAsync(dir, master, replica, sentinels[0], taps);
        }
        finally
        {
            foreach (var tap in taps.Values) await tap.DisposeAsync();
            await ServersScript.RunAsync("redis-sentinel-stop", dir);
        }
    }

    private async Task RunAsync(string dir, int master, int replica, int sentinel, Dictionary<string, AmqpTap> taps)
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
        var tasks = Enumerable.Range(0, Before + After).Select(i => DispatcherRedisRestartDrill.Task(corp, $"sentinel drill task {i}")).ToArray();
        foreach (var task in tasks.Take(Before)) await app.PublishAsync(task);

        await Eventually.True(() => app.WeCom.Journal.Count(MsgTemplate) >= 5, TimeSpan.FromSeconds(60), "some sends made");
        var madeBefore = app.WeCom.Journal.Count(MsgTemplate);
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(dir, $"node-{master}", "redis.pid"))).Trim());
        System.Diagnostics.Process.GetProcessById(pid).Kill();
        var asSentinel = new ConfigurationOptions { EndPoints = { { "127.0.0.1", sentinel } }, CommandMap = CommandMap.Sentinel, TieBreaker = "" };
        using var watch = await ConnectionMultiplexer.ConnectAsync(asSentinel);
        await Eventually.True(async () => await MasterPortAsync(watch, sentinel) == replica, TimeSpan.FromSeconds(60), "the replica promoted");
        output.WriteLine($"master 127.0.0.1:{master} killed after {madeBefore} calls; Sentinel promoted 127.0.0.1:{replica}");
        foreach (var task in tasks.Skip(Before)) await app.PublishAsync(task);

        await FailoverSends.AssertEachSentOnceAsync(app, tasks, taps, output);
    }

    /// <summary>The port of the master the Sentinel names now (0 while it cannot say).</summary>
    private static async Task<int> MasterPortAsync(ConnectionMultiplexer sentinels, int port)
    {
        try
        {
            var server = sentinels.GetServer("127.0.0.1", port);
            return (await server.SentinelGetMasterAddressByNameAsync("wbmaster")) is System.Net.IPEndPoint at ? at.Port : 0;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return 0;
        }
    }
}

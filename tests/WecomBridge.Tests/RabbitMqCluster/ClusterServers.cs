using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using WecomBridge.Messaging;

namespace WecomBridge.Tests.RabbitMqCluster;

/// <summary>
/// The 3-node RabbitMQ cluster scripts/test.sh --rabbitmq-cluster started (scripts/test-rabbitmq-cluster.sh). Its tests
/// fail (never skip) without it. A node is stopped and started with rabbitmqctl, as an operator would.
/// </summary>
public static class ClusterServers
{
    public static IReadOnlyList<int> Ports => Required("WECOMBRIDGE_TEST_RABBITMQ_CLUSTER").Split(',')
        .Select(n => int.Parse(n.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>The folder of the cluster: one node-PORT folder per node, as scripts/servers.sh keeps them.</summary>
    public static string Folder => Required("WECOMBRIDGE_TEST_RABBITMQ_CLUSTER_DIR");

    public static string Uri(int port) => $"amqp://guest:guest@127.0.0.1:{port}/";

    /// <summary>The app's settings for the cluster: the first node's URI, every node in Messaging:Hosts (quorum by default).</summary>
    public static Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = Uri(Ports[0]) };
        for (var i = 0; i < Ports.Count; i++) settings[$"Messaging:Hosts:{i}"] = $"127.0.0.1:{Ports[i]}";
        return settings;
    }

    /// <summary>What the app makes of <see cref="Settings"/>.</summary>
    internal static RabbitMqBroker Broker(bool quorum = true) =>
        new(new System.Uri(Uri(Ports[0])), Ports.Select(p => new AmqpTcpEndpoint("127.0.0.1", p)).ToList(), quorum, Listed: true);

    public static Task StopAppAsync(int port) => CtlAsync(port, "stop_app");

    /// <summary>Starts the node's app again and waits until it runs (it rejoins its cluster by itself).</summary>
    public static async Task StartAppAsync(int port)
    {
        await CtlAsync(port, "start_app");
        await CtlAsync(port, "await_startup", "--timeout", "60");
    }

    /// <summary>The node (its AMQP port) of the one RabbitMQ.Client connection of an app (`wecombridge-messaging`) now open.</summary>
    public static async Task<int> PublisherNodeAsync()
    {
        var json = await CtlAsync(await FirstRunningAsync(), "list_connections", "port", "client_properties", "--formatter", "json");
        var ports = JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Where(c => c.GetProperty("client_properties").EnumerateArray()
                .Any(p => p[0].GetString() == "connection_name" && p[2].GetString() == "wecombridge-messaging"))
            .Select(c => c.GetProperty("port").GetInt32()).Distinct().ToList();
        return ports.Count == 1 ? ports[0] : throw new InvalidOperationException($"{ports.Count} app connections open, not one");
    }

    /// <summary>Name, type, arguments and members of every queue whose name starts with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<QueueInfo>> QueuesAsync(string prefix)
    {
        var alive = await FirstRunningAsync();
        var json = await CtlAsync(alive, "list_queues", "name", "type", "arguments", "members", "--formatter", "json");
        return JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(q => new QueueInfo(q.GetProperty("name").GetString()!, q.GetProperty("type").GetString()!,
                q.GetProperty("arguments").EnumerateArray().ToDictionary(a => a[0].GetString()!, a => a[2].ToString()),
                q.GetProperty("members").ValueKind == JsonValueKind.Array ? q.GetProperty("members").GetArrayLength() : 0))
            .Where(q => q.Name.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>`rabbitmqctl list_queues` with <paramref name="items"/> (e.g. name, leader, messages) from a node that runs.</summary>
    public static async Task<IReadOnlyList<JsonElement>> ListQueuesAsync(params string[] items)
    {
        var json = await CtlAsync(await FirstRunningAsync(), ["list_queues", .. items, "--formatter", "json"]);
        return JsonDocument.Parse(json).RootElement.EnumerateArray().Select(q => q.Clone()).ToList();
    }

    private static async Task<int> FirstRunningAsync()
    {
        foreach (var port in Ports)
            try
            {
                await CtlAsync(port, "await_startup", "--timeout", "1");
                return port;
            }
            catch (InvalidOperationException) { /* stopped: the next */ }
        throw new InvalidOperationException("no node of the RabbitMQ cluster runs");
    }

    private static async Task<string> CtlAsync(int port, params string[] args)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-q", "-n", $"wb-{port}@localhost" }.Concat(args)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} on wb-{port} failed: {await stderr}");
        return await stdout;
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: this test needs the RabbitMQ cluster that scripts/test-rabbitmq-cluster.sh starts.");
}

public sealed record QueueInfo(string Name, string Type, IReadOnlyDictionary<string, string> Arguments, int Members);

/// <summary>The cluster tests run one at a time: some stop nodes of the one cluster they share.</summary>
[CollectionDefinition("rabbitmq-cluster", DisableParallelization = true)]
public class RabbitMqClusterCollection;

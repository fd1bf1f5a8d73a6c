using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RabbitMQ.Client;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Messaging;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.RabbitMqCluster;

/// <summary>
/// A dispatcher on the 3-node cluster whose first call of each customer task finds WeCom busy: each waits for its retry
/// in the delay queues (the longest tier that fits first, then shorter ones), dead-lettered back into the send queue after
/// each, and is sent to the WeCom fake when its time comes. The dispatcher connects to the first node; the send queue
/// and the first tier are declared first on nodes of their own (RabbitMQ 3.10 puts a quorum queue's leader on the node it
/// is declared on), so that killing a leader is not also the loss of the dispatcher's connections.
/// </summary>
internal sealed partial class DeferredSends : IAsyncDisposable
{
    public const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private readonly string _corp;
    private readonly Dictionary<string, DateTimeOffset> _deferredAt = [];

    private DeferredSends(DispatcherApp dispatcher, string corp, int tier) => (Dispatcher, _corp, Tier) = (dispatcher, corp, tier);

    public DispatcherApp Dispatcher { get; }
    public string SendQueue => Dispatcher.Prefix + "-send-requested";
    /// <summary>The tier each send waits in first (its retry is due 0.8–1.2 × the base delay later).</summary>
    public int Tier { get; }
    public string DelayQueue => RabbitMqSendScheduler.QueueOf(SendQueue, Tier);
    public IReadOnlyList<SendRequested> Requests { get; private set; } = [];

    /// <summary>Sends the dispatcher took again after the first (a copy its claim found finished or held).</summary>
    public int Copies => Dispatcher.App.Logs.Lines.Count(l => l.Contains("is already sent: result published again", StringComparison.Ordinal));

    public static async Task<DeferredSends> StartAsync(int sendQueueNode, int delayQueueNode, TimeSpan retryAfter)
    {
        var tier = RabbitMqSendScheduler.TierFor(retryAfter * 0.8);
        var prefix = "dq-" + Guid.NewGuid().ToString("N")[..8];
        var sendQueue = prefix + "-send-requested";
        await DeclareAsync(sendQueueNode, sendQueue, QueueArguments.Quorum()); // as MassTransit declares it with quorum queues
        await DeclareAsync(delayQueueNode, RabbitMqSendScheduler.QueueOf(sendQueue, tier),
            RabbitMqSendScheduler.ArgumentsOf(sendQueue, tier, quorum: true));
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        foreach (var (key, value) in ClusterServers.Settings()) settings[key] = value;
        // A busy WeCom (errcode -1) on each send's first call: it is retried after retryAfter ±20 %.
        settings["Dispatch:RetryBaseDelay"] = retryAfter.ToString("c", CultureInfo.InvariantCulture);
        settings["Dispatch:RetryMaxDelay"] = "00:01:00";
        settings["ApiClients:MaxAttempts"] = "1"; // no retry in place
        // A lease and an attempt timeout that a loaded machine does not outrun (a busy call that timed out would be in
        // doubt: ambiguous, not retried): the drill is about the queues' leaders.
        settings["Dispatch:SendLease"] = "00:01:00";
        settings["ApiClients:AttemptTimeout"] = "00:00:30";
        settings["Logging:LogLevel:WecomBridge.Sending.Dispatcher.SendWork"] = "Debug"; // a copy taken again (Copies)
        var dispatcher = new DispatcherApp(settings, prefix);
        _ = dispatcher.Services; // started once its bus is up
        return new DeferredSends(dispatcher, corp, tier);
    }

    /// <summary>Publishes <paramref name="count"/> sends and waits until every one is deferred (and, if asked, waits in its first tier).</summary>
    public async Task DeferAsync(int count, bool inTier = true)
    {
        Requests = Enumerable.Range(0, count).Select(_ => Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = _corp }).ToList();
        Dispatcher.WeCom.Faults.ErrCode(-1, MsgTemplate, times: count);
        foreach (var send in Requests) await Dispatcher.PublishAsync(send);
        foreach (var send in Requests)
            _deferredAt[send.MessageId] = (await Dispatcher.StateAsync(send.MessageId, SendStates.Deferred)).UpdatedAt;
        if (!inTier) return;
        await Eventually.Get(async () => string.Concat((await ListAsync("name", "messages"))
                .Where(q => q.GetProperty("name").GetString()!.StartsWith(Dispatcher.Prefix, StringComparison.Ordinal))
                .Select(q => $"{q.GetProperty("name").GetString()}: {q.GetProperty("messages")}; ")),
            queues => queues.Contains($"{DelayQueue}: {count};", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "every send in its first tier");
    }

    /// <summary>How many sends are back from their first tier (the dispatcher took them and deferred them again, or sent them).</summary>
    public async Task<int> BackAsync()
    {
        var back = 0;
        foreach (var send in Requests)
            if (await Dispatcher.StatusAsync(send.MessageId) is { } status && status.UpdatedAt != _deferredAt[send.MessageId]) back++;
        return back;
    }

    /// <summary>The AMQP port of the node leading <paramref name="queue"/>, once it is not <paramref name="not"/>.</summary>
    public static Task<int> LeaderAsync(string queue, int not = 0) => Eventually.Get(async () =>
    {
        var row = (await ListAsync("name", "leader")).FirstOrDefault(q => q.GetProperty("name").GetString() == queue);
        return Leader().Match(row.ValueKind == JsonValueKind.Object ? row.GetProperty("leader").ToString() : "") is { Success: true } m
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }, port => port != 0 && port != not, TimeSpan.FromSeconds(60), $"a leader of {queue} other than {not}");

    public static async Task<int> MessagesAsync(string queue) =>
        (await ListAsync("name", "messages")).Where(q => q.GetProperty("name").GetString() == queue)
            .Select(q => q.GetProperty("messages").ValueKind == JsonValueKind.Number ? q.GetProperty("messages").GetInt32() : -1).FirstOrDefault(-1);

    /// <summary>Messages left in the delay tiers and _error queues of the dispatcher's queues.</summary>
    public async Task<IReadOnlyList<string>> LeftAsync() =>
        (await ListAsync("name", "messages"))
            .Where(q => q.GetProperty("name").GetString()!.StartsWith(Dispatcher.Prefix, StringComparison.Ordinal))
            .Where(q => q.GetProperty("name").GetString()!.Contains(".delay-", StringComparison.Ordinal)
                || q.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal))
            .Where(q => q.GetProperty("messages").ValueKind != JsonValueKind.Number || q.GetProperty("messages").GetInt32() != 0)
            .Select(q => $"{q.GetProperty("name").GetString()}: {q.GetProperty("messages")}").ToList();

    public static Task KillAsync(int port) => ServersScript.RunAsync("rabbitmq-kill", Folder(port));

    public static Task RestartAsync(int port) =>
        ServersScript.RunAsync("rabbitmq-start", Folder(port), port.ToString(CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.DisposeAsync();
        // Its queues go, so that the event exchanges they are bound to do not fill them in later tests.
        await using var broker = await Broker.OpenAsync(ClusterServers.Uri(ClusterServers.Ports[0]));
        foreach (var queue in await ClusterServers.QueuesAsync(Dispatcher.Prefix)) await broker.Channel.QueueDeleteAsync(queue.Name);
    }

    private static string Folder(int port) => Path.Combine(ClusterServers.Folder, $"node-{port}");

    /// <summary>list_queues; while a leader is elected it may fail or time out: an empty list then.</summary>
    private static async Task<IReadOnlyList<JsonElement>> ListAsync(params string[] items)
    {
        try { return await ClusterServers.ListQueuesAsync(items); }
        catch (Exception e) when (e is InvalidOperationException or JsonException or TimeoutException) { return []; }
    }

    private static async Task DeclareAsync(int node, string queue, Dictionary<string, object?> arguments)
    {
        await using var broker = await Broker.OpenAsync(ClusterServers.Uri(node));
        await broker.Channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments);
    }

    [GeneratedRegex(@"wb-(\d+)@")]
    private static partial Regex Leader();
}

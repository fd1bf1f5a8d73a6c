using WecomBridge.Messaging;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Callbacks.Drills;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;
using Xunit.Abstractions;

namespace WecomBridge.Tests.RabbitMqCluster;

/// <summary>
/// The RabbitMQ node the gateway publishes to is SIGKILLed in the middle of a stream of callbacks and of sends worked
/// off by a dispatcher connected to the same node: both move to another node; quorum queues keep what was confirmed.
/// </summary>
[Collection("rabbitmq-cluster")]
public class NodeLossDrill(ITestOutputHelper output)
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";

    [Fact]
    public async Task Every_callback_reaches_the_queue_and_every_send_is_made_once_when_the_gateways_node_is_killed()
    {
        var ports = ClusterServers.Ports;
        await using var tap = await AmqpTap.BindAsync(ClusterServers.Uri(ports[0]), DrillStream.Exchange, arguments: QueueArguments.Quorum());
        var queue = tap.Queue;
        await tap.CloseAsync(deleteQueue: false); // read at the end from a node that is still up
        var stream = new DrillStream(2000); // as many as it takes: the stream goes on until the kill is done, then 80 more
        var spool = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        var gatewaySettings = DrillStream.Settings(ClusterServers.Uri(ports[0]), TestServers.Redis, spool);
        foreach (var (key, value) in ClusterServers.Settings()) gatewaySettings[key] = value;
        gatewaySettings["DeadLetters:Enabled"] = "false"; // its one RabbitMQ.Client connection is the publisher's
        gatewaySettings["Logging:LogLevel:WecomBridge.Messaging.RabbitMqConnection"] = "Information"; // "Connected to RabbitMQ at …"
        gatewaySettings["Logging:LogLevel:WecomBridge.Callbacks.Spool"] = "Debug"; // each forward of a spooled event (DrillCopies)
        gatewaySettings["Logging:Console:FormatterOptions:SingleLine"] = "true"; // a line per event, with the time of the kill
        gatewaySettings["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ";
        await using var gateway = new GatewayProcess(gatewaySettings);
        await gateway.StartAsync();
        using var player = new WeComPlayer(DrillStream.CallbackUrl(gateway.BaseUrl));
        await stream.RunAsync(player, senders: 4, until: 20); // the gateway's publisher connects
        var node = await ClusterServers.PublisherNodeAsync();

        // The dispatcher's bus on the same node: MassTransit takes the listed nodes in order.
        var settings = DispatcherApp.StreamKeys(out var corp, out _);
        settings["ConnectionStrings:RabbitMq"] = ClusterServers.Uri(node);
        foreach (var (i, port) in ports.OrderBy(p => p != node).Index()) settings[$"Messaging:Hosts:{i}"] = $"127.0.0.1:{port}";
        // A lease and an attempt timeout that a loaded machine does not outrun: the drill is about the node, and a send whose
        // call outlived a 3 s lease or timeout was (rightly) ambiguous without the node having anything to do with it.
        settings["Dispatch:SendLease"] = "00:00:15";
        settings["ApiClients:AttemptTimeout"] = "00:00:10";
        settings["Dispatch:ConcurrentSends"] = "2";
        await using var dispatcher = new DispatcherApp(settings);
        _ = dispatcher.Services;
        dispatcher.WeCom.Faults.Latency(TimeSpan.FromMilliseconds(200), MsgTemplate);
        var sends = Enumerable.Range(0, 30).Select(_ => Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp }).ToArray();
        foreach (var send in sends) await dispatcher.PublishAsync(send);
        var folder = Path.Combine(ClusterServers.Folder, $"node-{node}");
        try
        {
            await stream.RunAsync(player, senders: 4, until: 80);
            await Eventually.True(() => dispatcher.WeCom.Journal.Count(MsgTemplate) >= 5, what: "some sends made");
            // The stream goes on while the node is killed (however long the kill takes), so that publishes are in flight.
            var beforeKill = stream.Delivered;
            var killStarted = DateTime.UtcNow;
            var atKill = await stream.RunDuringAsync(player, senders: 4, ServersScript.RunAsync("rabbitmq-kill", folder), until: stream.Count - 80);
            var killTook = DateTime.UtcNow - killStarted;
            await stream.RunAsync(player, senders: 4, until: stream.Delivered + 80);

            var statuses = new List<SendStatus>();
            foreach (var send in sends) statuses.Add(await dispatcher.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(120)));
            var alive = ports.First(p => p != node);
            await using var after = await TapDeliveries.OpenAsync(ClusterServers.Uri(alive), queue);
            var mine = await Eventually.Get(async () => (await after.ReadAsync()).Where(d => stream.IsMine(d.Body)).ToList(),
                m => m.Select(d => d.EventId).Distinct().Count() == stream.Delivered, TimeSpan.FromSeconds(90), "every callback on the queue");
            var copies = DrillCopies.Count(mine, gateway.Log);
            var tally = (copies.Distinct, copies.Copies);

            var sent = statuses.Where(s => s.State == SendStates.Sent).ToList();
            var ambiguous = statuses.Count(s => s.State == SendStates.Ambiguous);
            var calls = dispatcher.WeCom.Journal.Count(MsgTemplate);
            var spooled = gateway.Log.Split('\n').Count(l => l.Contains(" spooled: ", StringComparison.Ordinal));
            var connects = gateway.Log.Split('\n').Where(l => l.Contains("Connected to RabbitMQ at", StringComparison.Ordinal)).ToList();
            output.WriteLine($"kill at {killStarted:HH:mm:ss.fff} (callback {beforeKill}), done when {atKill?.ToString() ?? "(not before the stream's part ended)"} "
                + $"were delivered, {killTook.TotalSeconds:F1} s; tap: {copies}");
            output.WriteLine($"callbacks {stream.Delivered}: {tally.Distinct} on the queue, {tally.Copies} copies, {player.Resends} re-sent, "
                + $"{player.ErrorStatuses.Count} error statuses, {spooled} spooled, publisher connects: {string.Join(" / ", connects)}; sends {sends.Length}: "
                + $"{sent.Count} sent, {ambiguous} ambiguous, {calls} calls, {dispatcher.WeCom.Data.MsgTemplates.Count} tasks at WeCom");
            // Why publishes failed around the kill (the intake's and the forwarder's), by error.
            var errors = System.Text.RegularExpressions.Regex.Matches(gateway.Log, @"(Publishing event|Spooled event) \S+ (failed|forwarded: failed) \((?<e>[^)]*)\)")
                .GroupBy(m => m.Value.StartsWith("Publishing", StringComparison.Ordinal) + " " + m.Groups["e"].Value);
            output.WriteLine("publish failures (True: intake, False: forwarder): " + string.Join(", ", errors.Select(g => $"{g.Key} ×{g.Count()}")));
            foreach (var line in gateway.Log.Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal)).Distinct().Take(20))
                output.WriteLine(line);
            Assert.Empty(player.ErrorStatuses);
            Assert.Contains($"127.0.0.1:{node}", connects[0]); // the gateway published to the killed node, then to another
            Assert.Contains(connects.Skip(1), c => !c.Contains($":{node}", StringComparison.Ordinal));
            // What a consumer that acknowledges each message gets: every callback, and a copy (same event id) only of an
            // event whose publish the kill cut, so that it was spooled and forwarded though the queue may have stored it:
            // at most one per spooled event. An event published once is never on the queue twice, unless WeCom re-sent it.
            Assert.True(copies.DirectCopies <= player.Resends, $"{copies.DirectCopies} copies of events never spooled");
            Assert.True(copies.SpooledCopies <= copies.Spooled, $"{copies.SpooledCopies} copies of {copies.Spooled} spooled events");
            Assert.Equal(sends.Length, sent.Count); // none ambiguous: the node's loss cut no call
            Assert.Equal(sent.Count, sent.Select(s => s.MsgId).Distinct().Count());
            Assert.Equal(dispatcher.WeCom.Data.MsgTemplates.Count, calls); // every call made once at most: a task per call
            Assert.Equal(sends.Length, calls);                              // and every send made
        }
        finally
        {
            await ServersScript.RunAsync("rabbitmq-start", folder, node.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

using System.Net;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Drills;

/// <summary>RabbitMQ stops in the middle of a stream of callbacks and comes back.</summary>
[Collection("drills")]
public class BrokerRestartDrill
{
    [Fact]
    public async Task Every_callback_reaches_the_queue_once_and_none_is_answered_with_an_error()
    {
        await using var broker = await DisposableRabbitMq.StartAsync();
        var tap = await AmqpTap.BindAsync(broker.Uri, DrillStream.Exchange);
        var stream = new DrillStream(240);
        var spool = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        await using var gateway = new GatewayProcess(DrillStream.Settings(broker.Uri, TestServers.Redis, spool));
        await gateway.StartAsync();
        using var player = new WeComPlayer(DrillStream.CallbackUrl(gateway.BaseUrl));

        await stream.RunAsync(player, senders: 4, until: 60);
        await Task.WhenAll(broker.StopAsync(), stream.RunAsync(player, senders: 4, until: 120)); // stops mid-stream
        await stream.RunAsync(player, senders: 4, until: 160);                                   // while it is away
        await Task.WhenAll(broker.StartAgainAsync(), stream.RunAsync(player, senders: 4));        // and while it comes back
        await tap.CloseAsync(deleteQueue: false); // its connection died with the broker

        await using var after = await AmqpTap.BindAsync(broker.Uri, DrillStream.Exchange, tap.Queue);
        var tally = await Eventually.Get(async () => stream.Tally(await after.ReadAsync()),
            t => t.Distinct == stream.Count, TimeSpan.FromSeconds(90), "every callback on the queue");

        Assert.Empty(player.ErrorStatuses);
        Assert.Equal(0, tally.Copies);
        using var http = new HttpClient();
        await Eventually.True(async () => (await http.GetAsync(gateway.BaseUrl + "/health/ready")).StatusCode == HttpStatusCode.OK
            && !(await http.GetStringAsync(gateway.BaseUrl + "/health/ready")).Contains("Degraded"), what: "spool drained");
        Assert.Contains("spooled", gateway.Log); // the drill really went through the spool
    }
}

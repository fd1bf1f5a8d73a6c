using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Drills;

/// <summary>The gateway process is killed (SIGKILL) mid-stream and restarted.</summary>
[Collection("drills")]
public class GatewayKillDrill
{
    [Fact]
    public async Task Every_callback_reaches_the_queue_and_retries_of_answered_ones_are_dropped()
    {
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, DrillStream.Exchange);
        var stream = new DrillStream(300);
        var spool = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        await using var gateway = new GatewayProcess(DrillStream.Settings(TestServers.RabbitMq, TestServers.Redis, spool));
        await gateway.StartAsync();
        using var player = new WeComPlayer(DrillStream.CallbackUrl(gateway.BaseUrl));

        var delivering = stream.RunAsync(player, senders: 4);
        await Eventually.True(() => stream.Delivered >= 100, TimeSpan.FromSeconds(60), "100 delivered");
        await gateway.KillAsync();           // mid-stream: the senders' requests in flight are cut
        await gateway.StartAsync();          // same port, same spool folder
        await delivering;

        var tally = await Eventually.Get(async () => stream.Tally(await tap.ReadAsync()),
            t => t.Distinct == stream.Count, TimeSpan.FromSeconds(60), "every callback on the queue");
        Assert.Empty(player.ErrorStatuses);
        Assert.True(player.Resends > 0, "the kill should have cut some deliveries");
        // A copy can only come from a callback whose publish was confirmed in the instant before the kill,
        // before its dedupe key was marked done: at most one per sender in flight.
        Assert.True(tally.Copies <= 4, $"{tally.Copies} copies");
    }

    [Fact]
    public async Task Spooled_callbacks_survive_a_kill_and_are_forwarded_after_restart()
    {
        await using var broker = await DisposableRabbitMq.StartAsync();
        var tap = await AmqpTap.BindAsync(broker.Uri, DrillStream.Exchange);
        var stream = new DrillStream(50);
        var spool = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        await using var gateway = new GatewayProcess(DrillStream.Settings(broker.Uri, TestServers.Redis, spool));
        await gateway.StartAsync();
        using var player = new WeComPlayer(DrillStream.CallbackUrl(gateway.BaseUrl));

        await broker.StopAsync();
        await stream.RunAsync(player, senders: 2);   // all answered 200 from the spool
        await gateway.KillAsync();
        await broker.StartAgainAsync();
        await gateway.StartAsync();                  // the new process forwards what the old one spooled
        await tap.CloseAsync(deleteQueue: false);

        await using var after = await AmqpTap.BindAsync(broker.Uri, DrillStream.Exchange, tap.Queue);
        var tally = await Eventually.Get(async () => stream.Tally(await after.ReadAsync()),
            t => t.Distinct == stream.Count, TimeSpan.FromSeconds(60), "every spooled callback on the queue");
        Assert.Empty(player.ErrorStatuses);
        Assert.Equal(0, tally.Copies);
    }
}

using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Drills;

/// <summary>Redis is killed mid-stream and comes back empty: accept rather than refuse.</summary>
[Collection("drills")]
public class RedisRestartDrill
{
    [Fact]
    public async Task Every_callback_reaches_the_queue_and_copies_carry_the_same_event_id()
    {
        await using var redis = await DisposableRedis.StartAsync();
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, DrillStream.Exchange);
        var stream = new DrillStream(240);
        var spool = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        await using var gateway = new GatewayProcess(DrillStream.Settings(TestServers.RabbitMq, redis.ConnectionString, spool));
        await gateway.StartAsync();
        using var player = new WeComPlayer(DrillStream.CallbackUrl(gateway.BaseUrl));

        await stream.RunAsync(player, senders: 4, until: 60);
        await Task.WhenAll(redis.StopAsync(), stream.RunAsync(player, senders: 4, until: 120));
        await stream.RunAsync(player, senders: 4, until: 160);
        await Task.WhenAll(redis.StartAgainAsync(), stream.RunAsync(player, senders: 4)); // back empty: every key gone

        var tally = await Eventually.Get(async () => stream.Tally(await tap.ReadAsync()),
            t => t.Distinct == stream.Count, TimeSpan.FromSeconds(60), "every callback on the queue");
        Assert.Empty(player.ErrorStatuses);
        Assert.True(tally.Copies <= player.Resends, $"{tally.Copies} copies but only {player.Resends} re-sends");
    }
}

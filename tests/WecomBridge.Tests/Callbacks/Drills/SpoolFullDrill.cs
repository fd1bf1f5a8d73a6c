using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Drills;

/// <summary>
/// Neither the broker nor the spool can take a callback: the gateway closes the connection without an
/// answer (an error status would be lost: WeCom retries only on a failed connection or a timeout), and
/// WeCom's retry succeeds once the broker is back.
/// </summary>
[Collection("drills")]
public class SpoolFullDrill
{
    [Fact]
    public async Task A_callback_that_cannot_be_made_durable_gets_no_answer_and_its_retry_is_kept()
    {
        await using var broker = await DisposableRabbitMq.StartAsync();
        var tap = await AmqpTap.BindAsync(broker.Uri, DrillStream.Exchange);
        var spool = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        var settings = DrillStream.Settings(broker.Uri, TestServers.Redis, spool);
        settings["Gateway:Spool:MaxEvents"] = "2";
        await using var gateway = new GatewayProcess(settings);
        await gateway.StartAsync();
        await broker.StopAsync();

        var stream = new DrillStream(3);
        using var player = new WeComPlayer(DrillStream.CallbackUrl(gateway.BaseUrl));
        await stream.RunAsync(player, senders: 1, until: 2);   // spooled: the spool is now full
        Assert.Equal(0, player.Resends);

        using (var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            var third = new CallbackSimulator().BuildWeComPost(new WeComCallbackApp(DrillStream.Token, DrillStream.AesKey, DrillStream.CorpId),
                WeComEvents.ExternalContact(DrillStream.CorpId, "add_external_contact", "zhangsan", "wmdrill-direct-" + Guid.NewGuid().ToString("N")[..8]));
            await Assert.ThrowsAsync<HttpRequestException>(() => direct.SendAsync(third.ToHttpRequest(DrillStream.CallbackUrl(gateway.BaseUrl))));
            var ready = await direct.GetStringAsync(gateway.BaseUrl + "/health/live");
            Assert.NotNull(ready); // the process is fine; only that request was left unanswered
        }

        // WeCom keeps retrying the third callback; the broker comes back while it does.
        await Task.WhenAll(stream.RunAsync(player, senders: 1), broker.StartAgainAsync());
        await tap.CloseAsync(deleteQueue: false);
        await using var after = await AmqpTap.BindAsync(broker.Uri, DrillStream.Exchange, tap.Queue);
        var tally = await Eventually.Get(async () => stream.Tally(await after.ReadAsync()),
            t => t.Distinct == stream.Count, TimeSpan.FromSeconds(60), "all three callbacks on the queue");

        Assert.True(player.Resends > 0, "the third callback should have been left unanswered at least once");
        Assert.Empty(player.ErrorStatuses);
        Assert.Equal(0, tally.Copies);
    }
}

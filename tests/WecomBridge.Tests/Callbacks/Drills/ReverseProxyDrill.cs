using System.Text.Json;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Drills;

/// <summary>
/// The spool-full drill through a real nginx with deploy/nginx/wecombridge.conf in front of the gateway:
/// the connection the gateway closes unanswered must reach WeCom as a closed connection, not as the
/// "502 Bad Gateway" nginx answers by default (WeCom retries only on a failed connection or a timeout).
/// </summary>
[Collection("drills")]
public class ReverseProxyDrill
{
    private static readonly WeComCallbackApp App = new(DrillStream.Token, DrillStream.AesKey, DrillStream.CorpId);
    private static readonly WeComCallbackApp Forger = new("NotTheToken", DrillStream.AesKey, DrillStream.CorpId);
    private const string CallbackPath = "/callbacks/wecom/drill/crm";

    [Fact]
    public async Task Through_nginx_a_callback_that_cannot_be_made_durable_gets_no_answer_and_its_retry_is_kept()
    {
        await using var broker = await DisposableRabbitMq.StartAsync();
        var tap = await AmqpTap.BindAsync(broker.Uri, DrillStream.Exchange);
        var settings = DrillStream.Settings(broker.Uri, TestServers.Redis, NewSpool());
        settings["Gateway:Spool:MaxEvents"] = "2";
        await using var gateway = new GatewayProcess(settings);
        await gateway.StartAsync();
        await using var nginx = await DisposableNginx.StartAsync(gateway.Port);
        await broker.StopAsync();

        var stream = new DrillStream(3);
        using var player = new WeComPlayer(DrillStream.CallbackUrl(nginx.BaseUrl));
        await stream.RunAsync(player, senders: 1, until: 2);   // spooled: the spool is now full
        Assert.Equal(0, player.Resends);

        var third = Callback("wmdrill-proxied-");
        Assert.Equal("", await RawHttp.SendAsync(nginx.BaseUrl, CallbackPath, third)); // closed, no status line
        Assert.Contains("while reading response header from upstream", nginx.ErrorLog); // the gateway did close it

        // WeCom keeps retrying the third callback through nginx; the broker comes back while it does.
        await Task.WhenAll(stream.RunAsync(player, senders: 1), broker.StartAgainAsync());
        await tap.CloseAsync(deleteQueue: false);
        await using var after = await AmqpTap.BindAsync(broker.Uri, DrillStream.Exchange, tap.Queue);
        var tally = await Eventually.Get(async () => stream.Tally(await after.ReadAsync()),
            t => t.Distinct == stream.Count, TimeSpan.FromSeconds(60), "all three callbacks on the queue");

        Assert.True(player.Resends > 0, "the third callback should have been left unanswered at least once");
        Assert.Empty(player.ErrorStatuses); // no 502 reached the player
        Assert.Equal(0, tally.Copies);
    }

    [Fact]
    public async Task Nginx_passes_the_gateways_answers_and_only_its_drop_rule_keeps_an_unanswered_callback_from_becoming_502()
    {
        // No broker listens on this port and the spool holds one event: the second callback cannot be kept.
        var settings = DrillStream.Settings($"amqp://guest:guest@127.0.0.1:{TestServers.FreePort()}/", TestServers.Redis, NewSpool());
        settings["Gateway:Spool:MaxEvents"] = "1";
        await using var gateway = new GatewayProcess(settings);
        await gateway.StartAsync();
        await using var withRule = await DisposableNginx.StartAsync(gateway.Port);
        await using var withoutRule = await DisposableNginx.StartAsync(gateway.Port, dropUnanswered: false);

        var good = await RawHttp.SendAsync(withRule.BaseUrl, CallbackPath, Callback("wmdrill-good-"));
        Assert.Equal(200, RawHttp.Status(good));                             // spooled: the spool is now full
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            using var refused = await http.SendAsync(Forged().ToHttpRequest(withRule.BaseUrl + CallbackPath));
            using var direct = await http.SendAsync(Forged().ToHttpRequest(gateway.BaseUrl + CallbackPath));
            Assert.Equal(403, (int)refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Problem(await direct.Content.ReadAsStringAsync()), Problem(await refused.Content.ReadAsStringAsync()));
        }

        // An unanswered callback among refused ones on other upstream connections: only it goes unanswered.
        var lost = Callback("wmdrill-unkept-");
        var unanswered = RawHttp.SendAsync(withRule.BaseUrl, CallbackPath, lost);
        var others = Enumerable.Range(0, 8).Select(_ => RawHttp.SendAsync(withRule.BaseUrl, CallbackPath, Forged())).ToList();
        Assert.Equal("", await unanswered);
        Assert.All(await Task.WhenAll(others), answer => Assert.Equal(403, RawHttp.Status(answer)));
        Assert.Equal(403, RawHttp.Status(await RawHttp.SendAsync(withRule.BaseUrl, CallbackPath, Forged())));

        // Without the rule nginx answers the same failure with 502, which WeCom would not retry.
        var control = await RawHttp.SendAsync(withoutRule.BaseUrl, CallbackPath, lost);
        Assert.Equal(502, RawHttp.Status(control));
    }

    private static CallbackRequest Callback(string prefix) => new CallbackSimulator().BuildWeComPost(App,
        WeComEvents.ExternalContact(DrillStream.CorpId, "add_external_contact", "zhangsan", prefix + Guid.NewGuid().ToString("N")[..8]));

    private static CallbackRequest Forged() => new CallbackSimulator().BuildWeComPost(Forger,
        WeComEvents.ExternalContact(DrillStream.CorpId, "add_external_contact", "zhangsan", "wmdrill-forged"));

    /// <summary>Status, title and reason of a problem answer (its traceId differs from request to request).</summary>
    private static string Problem(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return $"{root.GetProperty("status")} {root.GetProperty("title")}: {root.GetProperty("detail")}";
    }

    private static string NewSpool() => Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
}

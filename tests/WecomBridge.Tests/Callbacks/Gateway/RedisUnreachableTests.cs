using System.Net;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// With the dedupe store unreachable the gateway accepts rather than refuses: a possible duplicate that carries
/// its deterministic eventId beats an event WeCom gives up on.
/// </summary>
public class RedisUnreachableTests(RedisUnreachableTests.Host host) : IClassFixture<RedisUnreachableTests.Host>
{
    public sealed class Host() : GatewayHost(settings =>
        settings["ConnectionStrings:Redis"] = $"127.0.0.1:{TestServers.FreePort()},connectTimeout=500");

    [Fact]
    public async Task A_valid_wecom_callback_is_still_answered_200_and_published()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var customer = GatewayHost.NewId();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await host.PostWeComAsync(GatewayHost.Added(customer));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"answered after {watch.Elapsed}, WeCom gives up at 5 s");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await queue.WaitForAsync(customer);
        Assert.Contains("Dedupe store unavailable", host.Bridge.Logs.All);
    }

    [Fact]
    public async Task A_valid_official_account_callback_is_still_answered_success_and_published()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(WecomBridge.Contracts.Followers.FollowerUnsubscribed));
        var openId = GatewayHost.NewId("o");
        var xml = OfficialAccountEvents.Unsubscribe(GatewayHost.Safe.OriginalId, openId);

        var response = await host.SendAsync(host.Simulator.BuildOaPost(GatewayHost.Safe, xml, openId), GatewayHost.SafeUrl);

        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        await queue.WaitForAsync(openId);
    }
}

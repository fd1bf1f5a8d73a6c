using System.Diagnostics;
using System.Net;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// A gateway that has only just started (nothing but /health/live called) and is hit by a burst of callbacks
/// still answers each within WeCom's 5 s. The intake's singletons (the Redis connection, the spool) must not be
/// built by the first callbacks: requests racing for them block thread-pool threads while Redis connects.
/// </summary>
public class ColdStartTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Fact]
    public async Task The_first_burst_of_a_hundred_callbacks_is_answered_within_wecoms_five_seconds()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var customers = Enumerable.Range(0, 100).Select(_ => GatewayHost.NewId()).ToList();
        var requests = customers.Select(c => host.Simulator.BuildWeComPost(GatewayHost.WeCom, GatewayHost.Added(c))).ToList();
        var watch = Stopwatch.StartNew();

        var responses = await Task.WhenAll(requests.Select(async request =>
        {
            using var response = await host.SendAsync(request, GatewayHost.WeComUrl);
            return (response.StatusCode, watch.Elapsed);
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var slowest = responses.Max(r => r.Elapsed);
        Assert.True(slowest < TimeSpan.FromSeconds(4), $"the slowest of the first burst was answered after {slowest}");
        foreach (var customer in customers) await queue.WaitForAsync(customer);
    }
}

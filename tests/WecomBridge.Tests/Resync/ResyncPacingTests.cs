using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.RateLimits;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Resync;

/// <summary>Re-sync takes its API calls through the shared per-corp, per-API rate limit.</summary>
public sealed class ResyncPacingTests
{
    [Fact]
    public async Task A_run_takes_its_calls_from_the_corps_shared_bucket_for_each_api()
    {
        await using var api = new ApiApp(settings: new Dictionary<string, string?> { ["Dispatch:Defaults:ApiCallsPerMinute"] = "1" });
        var client = api.Client();

        var first = await ResyncClient.StartAsync(client, new { corp = "acme", scope = "tags" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var done = await ResyncClient.FinishedAsync(client, first.Headers.Location!);
        Assert.Equal("completed", done.GetProperty("state").GetString());

        // The run took the one permit of this minute from the corp's shared bucket for that API: anything else
        // calling it (another instance, the dispatcher) is now held back, and so is a second run.
        var limiter = api.Factory.Services.GetRequiredService<IRateLimiter>();
        var bucket = RateBucket.Paced("wecom:acme:externalcontact/get_corp_tag_list", new RateLimit(1, TimeSpan.FromMinutes(1)), 0);
        var decision = await limiter.ReserveAsync([bucket], TimeSpan.Zero);
        Assert.False(decision.Granted);
        Assert.True(decision.Wait > TimeSpan.FromSeconds(30), $"retry after {decision.Wait}");
        Assert.Equal(1, api.WeCom.Journal.Count("/cgi-bin/externalcontact/get_corp_tag_list"));
    }
}

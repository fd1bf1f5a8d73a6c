using WecomBridge.Fakes;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.RateLimits;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Sending.Limits;

/// <summary>Three dispatcher instances on one queue and one Redis pace one account's API together.</summary>
public class SharedSendRateTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Three_dispatchers_never_exceed_the_accounts_rate_at_the_platform()
    {
        // 20 per 2 s, calls spaced 2 s / 20 × 1.5: arrivals at the fake may come up to 1 s late, unevenly
        // (margin × window: a shared test machine under load delays some calls by hundreds of ms), and still never
        // put more than 20 in any 2 s the platform looks at. (The limiter's own bound is tested without delays.)
        const int limit = 20, sends = 60;
        const double margin = 0.5;
        var window = TimeSpan.FromSeconds(2);
        using var wecom = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        var settings = DispatcherApp.OwnKeys(out _, out var account);
        settings["Dispatch:Defaults:ApiCallsPerMinute"] = limit.ToString();
        settings["Dispatch:Defaults:ApiCallsWindow"] = "00:00:02";
        settings["Dispatch:Defaults:SafetyMargin"] = margin.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var prefix = "rate-" + Guid.NewGuid().ToString("N")[..8];
        var apps = Enumerable.Range(0, 3).Select(_ => new DispatcherApp(settings, prefix, wecom, oa)).ToArray();
        try
        {
            foreach (var app in apps) _ = app.Services;
            // The account's token is fetched once (shared through Redis): a call held by a slow first token fetch
            // reaches WeCom late. Warm up on another API (its own bucket), then measure.
            oa.Data.Follower("oBob")!.LastInteraction = DateTimeOffset.UtcNow;
            var warmups = Enumerable.Range(0, 6).Select(_ => Sends.CustomerService("oBob") with { Account = account }).ToArray();
            await Task.WhenAll(warmups.Select(send => apps[0].PublishAsync(send)));
            foreach (var send in warmups) await apps[0].FinishedAsync(send.MessageId);
            oa.Journal.Clear();
            var batch = Enumerable.Range(0, sends).Select(_ => Sends.Template("oAlice") with { Account = account }).ToArray();
            await Task.WhenAll(batch.Select(send => apps[0].PublishAsync(send)));
            foreach (var send in batch)
                Assert.Equal(SendStates.Sent, (await apps[0].FinishedAsync(send.MessageId, TimeSpan.FromSeconds(60))).State);

            // The platform's view: arrivals at the fake, every sliding window.
            var calls = oa.Journal.For("/cgi-bin/message/template/send").Select(e => e.Time).Order().ToArray();
            Assert.Equal(sends, calls.Length);
            var busiest = SlidingWindows.Busiest(calls, window);
            // At full use of what the margin leaves (1 / 1.5 of the limit), the calls are spaced window / limit × 1.5.
            var utilization = window / limit * (1 + margin) * (sends - 1) / (calls[^1] - calls[0]);
            output.WriteLine($"busiest window {busiest} of {limit}; {utilization:P0} of the paced rate ({calls[^1] - calls[0]} for {sends} calls)");
            Assert.True(busiest <= limit, $"{busiest} calls in one window; the limit is {limit}");
            // How close to the paced rate they run is a benchmark's figure (bench/pacing.sh; docs/benchmarks-pacing.md), not asserted
            // here: a clean CI run measured 84 % against a 90 % floor while the suite's busiest classes ran beside it.
            Assert.All(apps, app => Assert.Contains(app.App.Logs.Lines, l => l.Contains("sent after"))); // all three took sends
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
    }
}

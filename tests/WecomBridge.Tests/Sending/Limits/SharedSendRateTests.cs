using WecomBridge.Fakes;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.RateLimits;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Sending.Limits;

/// <summary>Three dispatcher instances on one queue and one Redis pace one account's API together.</summary>
public class SharedSendRateTests
{
    [Fact]
    public async Task Three_dispatchers_never_exceed_the_accounts_rate_at_the_platform_and_use_at_least_90_percent_of_it()
    {
        // 20 per 2 s, calls spaced 2 s / 20 × 1.05: arrivals at the fake may come up to 100 ms late, unevenly
        // (margin × window), and still never put more than 20 in any 2 s the platform looks at.
        const int limit = 20, sends = 60;
        const double margin = 0.05;
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
            Assert.True(busiest <= limit, $"{busiest} calls in one window; the limit is {limit}");
            // At full use, the calls are spaced window / limit from the first to the last.
            var utilization = window / limit * (sends - 1) / (calls[^1] - calls[0]);
            Assert.True(utilization >= 0.9, $"used {utilization:P0} of the limit ({calls[^1] - calls[0]} for {sends} calls)");
            Assert.All(apps, app => Assert.Contains(app.App.Logs.Lines, l => l.Contains("sent after"))); // all three took sends
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
    }
}

using WecomBridge.Fakes;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Sending.Limits;

/// <summary>Three dispatcher instances on one queue and one Redis pace one account's API together.</summary>
public class SharedSendRateTests
{
    [Fact]
    public async Task Three_dispatchers_never_exceed_the_accounts_rate_together_and_use_at_least_90_percent_of_it()
    {
        const int limit = 10, sends = 60;
        var window = TimeSpan.FromSeconds(1);
        using var wecom = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        var settings = DispatcherApp.OwnKeys(out _, out var account);
        settings["Dispatch:Defaults:ApiCallsPerMinute"] = limit.ToString();
        settings["Dispatch:Defaults:ApiCallsWindow"] = "00:00:01";
        var prefix = "rate-" + Guid.NewGuid().ToString("N")[..8];
        var apps = Enumerable.Range(0, 3).Select(_ => new DispatcherApp(settings, prefix, wecom, oa)).ToArray();
        try
        {
            foreach (var app in apps) _ = app.Services;
            // The account's token is fetched once (shared through Redis): a permit taken before a slow first token fetch
            // reaches WeCom late, next to the permits of the next window. Warm up on another API (its own bucket), then measure.
            oa.Data.Follower("oBob")!.LastInteraction = DateTimeOffset.UtcNow;
            var warmups = Enumerable.Range(0, 6).Select(_ => Sends.CustomerService("oBob") with { Account = account }).ToArray();
            await Task.WhenAll(warmups.Select(send => apps[0].PublishAsync(send)));
            foreach (var send in warmups) await apps[0].FinishedAsync(send.MessageId);
            oa.Journal.Clear();
            var batch = Enumerable.Range(0, sends).Select(_ => Sends.Template("oAlice") with { Account = account }).ToArray();
            await Task.WhenAll(batch.Select(send => apps[0].PublishAsync(send)));
            foreach (var send in batch)
                Assert.Equal(SendStates.Sent, (await apps[0].FinishedAsync(send.MessageId, TimeSpan.FromSeconds(60))).State);

            var calls = oa.Journal.For("/cgi-bin/message/template/send").Select(e => e.Time).Order().ToArray();
            Assert.Equal(sends, calls.Length);
            // The limiter counts on Redis's clock; calls reach the fake a few ms later, unevenly: 50 ms of that is allowed.
            var busiest = calls.Max(start => calls.Count(t => t >= start && t < start + window - TimeSpan.FromMilliseconds(50)));
            Assert.True(busiest <= limit, $"{busiest} calls in one window; the limit is {limit}");
            // At full use, 60 calls at 10 per second take 5 s from the first to the last.
            var fastest = window * (Math.Ceiling((double)sends / limit) - 1);
            var utilization = fastest / (calls[^1] - calls[0]);
            Assert.True(utilization >= 0.9, $"used {utilization:P0} of the limit ({calls[^1] - calls[0]} for {sends} calls)");
            Assert.All(apps, app => Assert.Contains(app.App.Logs.Lines, l => l.Contains("sent after"))); // all three took sends
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
    }
}

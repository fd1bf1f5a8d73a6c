using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Sending.Limits;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Limits;

public class SendPolicyTests
{
    private static readonly SendPolicyOptions Shanghai = new(); // 21:00–08:00, Asia/Shanghai (UTC+8), month cap

    [Theory]
    [InlineData("2026-11-23T12:59:00Z", null)]                     // 20:59 local: allowed
    [InlineData("2026-11-23T13:00:00Z", "2026-11-24T00:00:00Z")]   // 21:00 local: wait for 08:00 next day
    [InlineData("2026-11-23T18:30:00Z", "2026-11-24T00:00:00Z")]   // 02:30 local, after midnight
    [InlineData("2026-11-24T00:00:00Z", null)]                     // 08:00 local: allowed again
    public void Quiet_hours_defer_to_their_end_in_the_corps_time_zone(string now, string? until)
    {
        var deferred = QuietHours.DeferUntil(DateTimeOffset.Parse(now), Shanghai);
        Assert.Equal(until is null ? null : DateTimeOffset.Parse(until), deferred);
    }

    [Fact]
    public void Quiet_hours_within_one_day_and_disabled()
    {
        var lunch = new SendPolicyOptions { TimeZone = "UTC", QuietHours = new() { Start = new(12, 0), End = new(13, 0) } };
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T13:00:00Z"), QuietHours.DeferUntil(DateTimeOffset.Parse("2026-11-23T12:30:00Z"), lunch));
        Assert.Null(QuietHours.DeferUntil(DateTimeOffset.Parse("2026-11-23T13:30:00Z"), lunch));
        lunch.QuietHours.Enabled = false;
        Assert.Null(QuietHours.DeferUntil(DateTimeOffset.Parse("2026-11-23T12:30:00Z"), lunch));
    }

    [Theory]
    [InlineData(CapPeriod.Month, "2026-11-30T17:00:00Z", "2026-12", 31, "2026-12-31T16:00:00Z")] // already Dec 1 in Shanghai
    [InlineData(CapPeriod.Month, "2026-02-10T00:00:00Z", "2026-02", 28, "2026-02-28T16:00:00Z")]
    [InlineData(CapPeriod.Week, "2026-11-23T01:00:00Z", "2026-W48", 7, "2026-11-29T16:00:00Z")]
    [InlineData(CapPeriod.Day, "2026-11-23T01:00:00Z", "2026-11-23", 1, "2026-11-23T16:00:00Z")]
    public void Cap_periods_follow_the_corps_calendar(CapPeriod period, string now, string key, int limit, string ends)
    {
        var policy = new SendPolicyOptions { CustomerCap = new() { Period = period } };
        var (k, e, l) = CustomerCaps.PeriodOf(DateTimeOffset.Parse(now), policy);
        Assert.Equal((key, DateTimeOffset.Parse(ends), limit), (k, e, l));
    }

    [Fact]
    public async Task Redis_caps_hold_under_concurrency_count_a_message_once_and_can_be_given_back()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var store = new RedisCapStore(redis);
        var corp = "cap" + Guid.NewGuid().ToString("N");
        var ends = DateTimeOffset.UtcNow.AddDays(3);

        var refused = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => store.TakeAsync(corp, "2026-11", 30, ends, $"m{i}", ["wmAlice", "wmBob"])));
        Assert.Equal(30, refused.Count(r => r.Count == 0));
        Assert.Equal(70, refused.Count(r => r.SequenceEqual(["wmAlice", "wmBob"])));
        var counted = Enumerable.Range(0, 100).First(i => refused[i].Count == 0);
        Assert.Empty(await store.TakeAsync(corp, "2026-11", 30, ends, $"m{counted}", ["wmAlice"])); // a redelivery counts once

        await store.GiveBackAsync(corp, "2026-11", $"m{counted}", ["wmAlice"]);
        Assert.Empty(await store.TakeAsync(corp, "2026-11", 30, ends, "late", ["wmAlice"]));
        Assert.Equal(["wmAlice"], await store.TakeAsync(corp, "2026-11", 30, ends, "later", ["wmAlice"]));
        Assert.Empty(await store.TakeAsync(corp, "2026-12", 30, ends, "later", ["wmAlice"])); // a new period starts at zero
    }

    [Fact]
    public async Task In_memory_caps_hold_the_same()
    {
        var store = new InMemoryCapStore();
        var ends = DateTimeOffset.UtcNow.AddDays(3);
        Assert.Empty(await store.TakeAsync("acme", "2026-W48", 1, ends, "m1", ["wmBob"]));
        Assert.Empty(await store.TakeAsync("acme", "2026-W48", 1, ends, "m1", ["wmBob"]));
        Assert.Equal(["wmBob"], await store.TakeAsync("acme", "2026-W48", 1, ends, "m2", ["wmBob"]));
        await store.GiveBackAsync("acme", "2026-W48", "m1", ["wmBob"]);
        Assert.Empty(await store.TakeAsync("acme", "2026-W48", 1, ends, "m2", ["wmBob"]));
    }

    [Fact]
    public async Task Each_corp_gets_the_defaults_with_its_own_overrides_and_bad_values_stop_the_app()
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeCom:Corps:acme:CorpId"] = "ww1",
            ["WeCom:Corps:globex:CorpId"] = "ww2",
            ["Dispatch:Defaults:CustomerCap:Period"] = "Week",
            ["Dispatch:Corps:globex:TimeZone"] = "Europe/Berlin",
        };
        await using var app = new BridgeApp(settings);
        var policies = app.Services.GetRequiredService<IOptionsMonitor<SendPolicyOptions>>();
        Assert.Equal(("Asia/Shanghai", CapPeriod.Week), (policies.Get("acme").TimeZone, policies.Get("acme").CustomerCap.Period));
        Assert.Equal(("Europe/Berlin", CapPeriod.Week), (policies.Get("globex").TimeZone, policies.Get("globex").CustomerCap.Period));

        var result = new SendPolicyOptionsValidator().Validate("globex", new SendPolicyOptions { TimeZone = "Mars/Olympus" });
        Assert.Contains("Dispatch:Corps:globex:TimeZone 'Mars/Olympus' is not a known time zone", result.FailureMessage);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Contracts.Sending;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Limits;
using WecomBridge.Tests.Api;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.Sending.Limits;

/// <summary>
/// Pauses as the dispatcher meets them, on a fake clock: growing throttle pauses and their reset, an Official
/// Account's daily quota until its next midnight, a configuration pause probed by one send and lifted by its success,
/// one event per pause, and readiness.
/// </summary>
public class SendPausesTests
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-23T02:00:00Z"));
    private readonly RecordingPublisher _events = new();
    private readonly InMemorySendPauseStore _store = new();
    private readonly SendPauses _pauses;

    public SendPausesTests()
    {
        var options = new SendPauseOptions { Growth = 2, MaxPause = TimeSpan.FromMinutes(8), QuietPeriod = TimeSpan.FromMinutes(15) };
        _pauses = new SendPauses(_store, _events, new Monitor(options),
            Options.Create(new DispatchOptions { ThrottlePause = TimeSpan.FromSeconds(60) }), _clock, NullLogger<SendPauses>.Instance);
    }

    private static PauseTarget CustomerTask(string corp = "acme") => new(corp, null, null, "externalcontact/add_msg_template", false);
    private static PauseTarget AppMessage(string corp = "acme") => new(corp, "crm", null, "message/send", true);
    private static PauseTarget Template(string account = "brand") => new(null, null, account, "message/template/send", false);
    private static ApiException WeCom(int code, string path = MsgTemplate) => new(path, code, null, WeComErrors.Classify(code));
    private static ApiException Oa(int code) => new("/cgi-bin/message/template/send", code, null, OfficialAccountErrors.Classify(code));

    [Fact]
    public async Task Throttle_pauses_grow_while_45009_recurs_and_start_short_after_a_quiet_period()
    {
        var lengths = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var pause = await _pauses.PauseAsync(CustomerTask(), WeCom(45009));
            lengths.Add(pause.Until - _clock.GetUtcNow());
            _clock.SetUtcNow(pause.Until.AddSeconds(5)); // the pause ends; the next call is throttled again
        }
        _clock.Advance(TimeSpan.FromMinutes(16));
        var quiet = await _pauses.PauseAsync(CustomerTask(), WeCom(45009));

        Assert.Equal([60, 120, 240, 480, 480], lengths.Select(l => l.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(60), quiet.Until - _clock.GetUtcNow());
        Assert.Equal(6, _events.Of<SendingPaused>().Count);
    }

    [Fact]
    public async Task The_first_throttle_pause_lasts_the_buckets_window_and_grows_only_while_throttles_recur()
    {
        var limits = new ApiLimitOptions { ApiCallsPerMinute = 100, ApiCallsWindow = TimeSpan.FromSeconds(5) };
        var pauses = new SendPauses(_store, _events, new Monitor(new SendPauseOptions()),
            Options.Create(new DispatchOptions()), _clock, NullLogger<SendPauses>.Instance, new ApiLimits(new LimitsMonitor(limits)));
        var lengths = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var pause = await pauses.PauseAsync(CustomerTask(), WeCom(45009));
            lengths.Add(pause.Until - _clock.GetUtcNow());
            _clock.SetUtcNow(pause.Until.AddSeconds(1));
        }
        _clock.Advance(TimeSpan.FromMinutes(16)); // Dispatch:Pauses:QuietPeriod
        var rare = await pauses.PauseAsync(CustomerTask(), WeCom(45009));
        var minuteWindow = await pauses.PauseAsync(CustomerTask("other"), WeCom(45009)); // at most ThrottlePause (60 s)

        Assert.Equal([5, 10, 20], lengths.Select(l => l.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(5), rare.Until - _clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(5), minuteWindow.Until - _clock.GetUtcNow()); // the defaults: the same 5 s window
        var longWindow = new SendPauses(_store, _events, new Monitor(new SendPauseOptions()),
            Options.Create(new DispatchOptions()), _clock, NullLogger<SendPauses>.Instance,
            new ApiLimits(new LimitsMonitor(new ApiLimitOptions { ApiCallsWindow = TimeSpan.FromHours(1) })));
        var capped = await longWindow.PauseAsync(CustomerTask("third"), WeCom(45009));
        Assert.Equal(TimeSpan.FromSeconds(60), capped.Until - _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_call_held_back_at_departure_by_a_pause_waits_for_that_pause_without_starting_or_growing_one()
    {
        var on = await _pauses.PauseAsync(CustomerTask(), WeCom(45009));

        var held = await _pauses.PauseAsync(CustomerTask(), ApiException.Paused(MsgTemplate, on.Until));
        _clock.SetUtcNow(on.Until.AddSeconds(1)); // the pause ended before the held call reported it
        var late = await _pauses.PauseAsync(CustomerTask(), ApiException.Paused(MsgTemplate, on.Until));
        var next = await _pauses.PauseAsync(CustomerTask(), WeCom(45009));

        Assert.Equal(on, held);
        Assert.Equal(on.Until, late.Until); // deferred to an end already past: it goes at once
        Assert.Equal(1, next.Level);        // the held calls did not count as throttles
        Assert.Equal(2, _events.Of<SendingPaused>().Count);
    }

    [Fact]
    public async Task Many_sends_throttled_at_once_give_one_pause_and_one_event_and_wait_for_it()
    {
        var paused = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _pauses.PauseAsync(CustomerTask(), WeCom(45009))));
        var check = await _pauses.CheckAsync(CustomerTask());
        var otherCorp = await _pauses.CheckAsync(CustomerTask("other"));
        var otherApi = await _pauses.CheckAsync(AppMessage());

        Assert.Single(paused.Select(p => p.Until).Distinct());
        var e = Assert.Single(_events.Of<SendingPaused>());
        Assert.Equal(("wecom:acme:externalcontact/add_msg_template", "throttled", 45009), (e.GetProperty("scope").GetString(),
            e.GetProperty("cause").GetString(), e.GetProperty("errCode").GetInt32()));
        Assert.Equal(paused[0].Until, check.WaitUntil);
        Assert.StartsWith("throttled: wecom:acme:externalcontact/add_msg_template paused", check.Reason);
        Assert.Equal((null, null), (otherCorp.WaitUntil, otherApi.WaitUntil));

        _clock.SetUtcNow(paused[0].Until);
        Assert.Null((await _pauses.CheckAsync(CustomerTask())).WaitUntil);
    }

    [Theory]
    [InlineData("2026-11-23T02:00:00Z", "2026-11-23T16:00:00Z")] // 10:00 in Shanghai: until 00:00 the next day
    [InlineData("2026-11-23T15:59:00Z", "2026-11-23T16:00:00Z")] // 23:59
    [InlineData("2026-11-23T16:00:00Z", "2026-11-24T16:00:00Z")] // 00:00: a new day has just begun
    public async Task An_official_accounts_used_up_daily_quota_pauses_it_until_the_next_local_midnight(string now, string midnight)
    {
        _clock.SetUtcNow(DateTimeOffset.Parse(now));

        var pause = await _pauses.PauseAsync(Template(), Oa(45009));

        Assert.Equal((DateTimeOffset.Parse(midnight), PauseCauses.Quota), (pause.Until, pause.Cause));
        Assert.Equal(DateTimeOffset.Parse(midnight), SendPauses.QuotaDayEnd(DateTimeOffset.Parse(now), Shanghai));
        Assert.Contains("daily quota", _events.Of<SendingPaused>()[0].GetProperty("advice").GetString());
    }

    [Fact]
    public void The_quota_day_ends_at_local_midnight_in_a_zone_with_daylight_saving_too()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        // 2026-03-28 23:30 CET; midnight of the 29th is still CET (+01:00): the clocks go forward at 02:00.
        Assert.Equal(DateTimeOffset.Parse("2026-03-29T00:00:00+01:00"), SendPauses.QuotaDayEnd(DateTimeOffset.Parse("2026-03-28T22:30:00Z"), berlin));
        Assert.Equal(DateTimeOffset.Parse("2026-03-30T00:00:00+02:00"), SendPauses.QuotaDayEnd(DateTimeOffset.Parse("2026-03-29T12:00:00Z"), berlin));
    }

    [Fact]
    public async Task The_official_accounts_per_minute_limit_pauses_at_least_60_s_even_with_a_shorter_throttle_pause()
    {
        var pauses = new SendPauses(_store, _events, new Monitor(new SendPauseOptions()),
            Options.Create(new DispatchOptions { ThrottlePause = TimeSpan.FromSeconds(1) }), _clock, NullLogger<SendPauses>.Instance);

        var pause = await pauses.PauseAsync(Template(), Oa(45011));

        Assert.Equal((TimeSpan.FromSeconds(60), PauseCauses.Throttled), (pause.Until - _clock.GetUtcNow(), pause.Cause));
    }

    [Fact]
    public async Task A_configuration_error_pauses_its_secret_until_one_probe_succeeds_with_one_event_each_way()
    {
        var first = await _pauses.PauseAsync(AppMessage(), WeCom(60020, "/cgi-bin/message/send"));
        await _pauses.PauseAsync(AppMessage(), WeCom(60020, "/cgi-bin/message/send")); // a call that was in flight

        Assert.Equal(("wecom:acme:app:crm", TimeSpan.FromMinutes(5)), (first.Scope, first.Until - _clock.GetUtcNow()));
        var paused = Assert.Single(_events.Of<SendingPaused>());
        Assert.Equal(("configuration", "crm", 60020), (paused.GetProperty("cause").GetString(), paused.GetProperty("app").GetString(),
            paused.GetProperty("errCode").GetInt32()));
        Assert.Contains("trusted IPs", paused.GetProperty("advice").GetString());
        Assert.Null((await _pauses.CheckAsync(CustomerTask())).WaitUntil); // the contact secret is another secret
        Assert.Equal(first.Until, (await _pauses.CheckAsync(AppMessage())).WaitUntil);

        _clock.Advance(TimeSpan.FromMinutes(5));
        var probe = await _pauses.CheckAsync(AppMessage());
        var other = await _pauses.CheckAsync(AppMessage());
        Assert.Null(probe.WaitUntil);
        Assert.Equal(["wecom:acme:app:crm"], probe.Probes);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(5), other.WaitUntil);

        await _pauses.SucceededAsync(probe);
        await _pauses.SucceededAsync(probe);
        Assert.Null((await _pauses.CheckAsync(AppMessage())).WaitUntil);
        var resumed = Assert.Single(_events.Of<SendingResumed>());
        Assert.Equal(("wecom:acme:app:crm", 60020), (resumed.GetProperty("scope").GetString(), resumed.GetProperty("errCode").GetInt32()));
    }

    [Theory]
    [InlineData(40013, "wecom:acme", null)]
    [InlineData(40001, "wecom:acme:contact", null)]
    [InlineData(60020, "wecom:acme:contact", null)]
    [InlineData(48002, "wecom:acme:contact:externalcontact/add_msg_template", "externalcontact/add_msg_template")]
    public async Task Each_configuration_errcode_pauses_what_it_shows_to_be_broken(int errcode, string scope, string? api)
    {
        var pause = await _pauses.PauseAsync(CustomerTask(), WeCom(errcode));

        Assert.Equal((scope, api, PauseCauses.Configuration), (pause.Scope, pause.Api, pause.Cause));
        Assert.NotNull((await _pauses.CheckAsync(CustomerTask())).WaitUntil);
        Assert.Equal(errcode == 40013, (await _pauses.CheckAsync(AppMessage())).WaitUntil is not null); // a bad corp id stops every secret
    }

    [Theory]
    [InlineData(40013, "oa:brand")]
    [InlineData(40125, "oa:brand")]
    [InlineData(40164, "oa:brand")]
    [InlineData(48001, "oa:brand:message/template/send")]
    public async Task Official_account_configuration_errcodes_pause_the_account_or_its_api(int errcode, string scope)
    {
        var pause = await _pauses.PauseAsync(Template(), Oa(errcode));

        Assert.Equal((scope, "brand", PauseCauses.Configuration), (pause.Scope, pause.Account, pause.Cause));
        Assert.NotNull((await _pauses.CheckAsync(Template())).WaitUntil);
    }

    [Fact]
    public async Task Readiness_is_degraded_with_the_advice_while_a_configuration_pause_of_this_deployment_is_on()
    {
        var wecom = Options.Create(new WeComOptions { Corps = { ["acme"] = new CorpOptions { CorpId = "ww1" } } });
        var check = new SendPausesHealthCheck(_store, wecom, Options.Create(new OfficialAccountOptions()), _clock);
        await _pauses.PauseAsync(CustomerTask("elsewhere"), WeCom(40001)); // a corp of another deployment on the same Redis
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        await _pauses.PauseAsync(CustomerTask(), WeCom(45009));
        var throttled = await check.CheckHealthAsync(new HealthCheckContext());
        await _pauses.PauseAsync(CustomerTask(), WeCom(40001, "/cgi-bin/gettoken"));
        var degraded = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, throttled.Status);
        Assert.Contains("wecom:acme:externalcontact/add_msg_template throttled", throttled.Description);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("wecom:acme:contact paused since 2026-11-23 02:00:00Z after /cgi-bin/gettoken errcode 40001", degraded.Description);
        Assert.Contains("WeCom:Corps:acme:ContactSecret", degraded.Description);
        Assert.DoesNotContain("elsewhere", degraded.Description);

        _clock.Advance(TimeSpan.FromMinutes(5));
        await _pauses.SucceededAsync(await _pauses.CheckAsync(CustomerTask()));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task A_broker_that_refuses_the_event_does_not_undo_the_pause()
    {
        _events.FailWith = new InvalidOperationException("broker away");

        var pause = await _pauses.PauseAsync(CustomerTask(), WeCom(45009));

        Assert.Equal(pause.Until, (await _pauses.CheckAsync(CustomerTask())).WaitUntil);
    }

    private sealed class LimitsMonitor(ApiLimitOptions value) : IOptionsMonitor<ApiLimitOptions>
    {
        public ApiLimitOptions CurrentValue => value;
        public ApiLimitOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<ApiLimitOptions, string?> listener) => null;
    }

    private sealed class Monitor(SendPauseOptions value) : IOptionsMonitor<SendPauseOptions>
    {
        public SendPauseOptions CurrentValue => value;
        public SendPauseOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<SendPauseOptions, string?> listener) => null;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.OfficialAccount;
using WecomBridge.Observability.Health;
using WecomBridge.Sending.Limits;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.Observability;

/// <summary>The report from recorded marks and pauses, on a fake clock: which mark wins, the Official Account's advice, throttles.</summary>
public sealed class AccountHealthReportTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryAccountHealthStore _store = new();
    private readonly InMemorySendPauseStore _pauses = new();
    private readonly AccountHealthReport _report;
    private readonly AccountHealthMarks _marks;

    public AccountHealthReportTests()
    {
        var services = new ServiceCollection()
            .AddSingleton<ISendPauseStore>(_pauses)
            .Configure<WeComOptions>(o => o.Corps["acme"] = new CorpOptions { CorpId = "wwcorp", ContactSecret = "s1" })
            .Configure<OfficialAccountOptions>(o => o.Accounts["brand"] = new AccountOptions { AppId = "wxapp", Secret = "s2", Token = "t" })
            .BuildServiceProvider();
        _report = new AccountHealthReport(_store, services.GetRequiredService<IOptionsMonitor<WeComOptions>>(),
            services.GetRequiredService<IOptionsMonitor<OfficialAccountOptions>>(), services, _clock);
        _marks = new AccountHealthMarks(_store, _clock, NullLogger<AccountHealthMarks>.Instance);
    }

    private Task<AccountHealthPage> Build() => _report.BuildAsync(_ => true, _ => true);

    [Fact]
    public async Task The_later_of_a_failure_and_a_success_decides_a_tokens_state()
    {
        var key = new WeComCredential("wwcorp", "s1").TokenKey;
        _marks.TokenFailed(key, new ApiException("/cgi-bin/gettoken", 40013, "invalid corpid", ApiErrorClass.Configuration));
        var failing = (await Build()).Corps[0];
        Assert.Equal((HealthStates.Degraded, HealthStates.Failing), (failing.Status, failing.ContactToken!.State));
        Assert.Contains("check WeCom:Corps:acme:CorpId", failing.ContactToken.Advice);

        _clock.Advance(TimeSpan.FromMinutes(1));
        _marks.TokenFetched(key);
        var ok = (await Build()).Corps[0];
        Assert.Equal((HealthStates.Healthy, HealthStates.Ok), (ok.Status, ok.ContactToken!.State));
        Assert.Empty(ok.Problems);
        Assert.NotNull(ok.ContactToken.LastFailedAt); // the earlier failure stays visible
    }

    [Theory]
    [InlineData(40164, "IP whitelist")]
    [InlineData(40125, "set OfficialAccounts:Accounts:brand:Secret")]
    [InlineData(40013, "check OfficialAccounts:Accounts:brand:AppId")]
    public async Task An_official_accounts_refusal_gets_its_own_advice(int errCode, string advice)
    {
        _marks.TokenFailed(new OfficialAccountCredential("wxapp", "s2").TokenKey,
            new ApiException("/cgi-bin/stable_token", errCode, "refused", ApiErrorClass.Configuration));
        var account = (await Build()).Accounts[0];
        Assert.Equal(HealthStates.Degraded, account.Status);
        Assert.Contains(advice, account.Token!.Advice);
    }

    [Fact]
    public async Task A_transient_failure_says_so_and_a_throttle_is_listed_but_no_problem()
    {
        _marks.TokenFailed(new WeComCredential("wwcorp", "s1").TokenKey, new ApiException("/cgi-bin/gettoken", -1, "busy", ApiErrorClass.Transient));
        var throttle = new SendPause("wecom:acme:add_msg_template", PauseCauses.Throttled, "acme", null, null, "add_msg_template", 45009,
            "add_msg_template errcode 45009", "WeCom's frequency limit");
        await _pauses.ThrottleAsync(throttle, new ThrottleRule(TimeSpan.FromMinutes(1), 2, TimeSpan.FromHours(1), TimeSpan.FromMinutes(15),
            TimeSpan.Zero, null), _clock.GetUtcNow());

        var corp = (await Build()).Corps[0];
        Assert.Contains("egress", corp.ContactToken!.Advice);
        Assert.Equal(PauseCauses.Throttled, Assert.Single(corp.Pauses).Cause);
        Assert.Single(corp.Problems); // the token only: a throttle ends by itself
    }

    [Fact]
    public async Task Nothing_recorded_is_unknown_and_callbacks_never_heard_are_no_problem()
    {
        var page = await Build();
        Assert.Equal(HealthStates.Unknown, page.Status);
        Assert.Equal(HealthStates.Never, page.Accounts[0].Callback!.State);
        Assert.Empty(page.Accounts[0].Problems);
    }
}

using WecomBridge.Fakes;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.WeCom;

/// <summary>What the "wecom" pipeline does with each class of failure, seen at the fake.</summary>
public sealed class WeComPipelineTests : IDisposable
{
    private const string Get = "/cgi-bin/externalcontact/get";
    private readonly WeComFake _fake = WeComFake.Start();
    private readonly ApiHost _app;

    public WeComPipelineTests() => _app = ApiHost.Start(_fake.BaseUrl);

    private async Task<string?> ReadAlice() => (await _app.WeCom.GetExternalContactAsync(ApiHost.Contact, "wmAlice")).Contact.Name;

    [Theory]
    [InlineData(-1)]
    [InlineData(6000)]
    [InlineData(45033)]
    public async Task A_transient_errcode_is_retried(int errcode)
    {
        _fake.Faults.ErrCode(errcode, Get, times: 2);

        Assert.Equal("Alice", await ReadAlice());
        Assert.Equal(3, _fake.Journal.Count(Get));
    }

    [Fact]
    public async Task A_transient_errcode_that_persists_fails_after_three_attempts()
    {
        _fake.Faults.ErrCode(-1, Get);

        var e = await Assert.ThrowsAsync<ApiException>(ReadAlice);

        Assert.Equal((-1, ApiErrorClass.Transient, Get), (e.ErrCode, e.Class, e.Path));
        Assert.Equal(3, _fake.Journal.Count(Get));
    }

    [Fact]
    public async Task Throttling_fails_at_once_with_its_class()
    {
        _fake.Faults.RateLimit(0, Get);

        var e = await Assert.ThrowsAsync<ApiException>(ReadAlice);

        Assert.Equal((45009, ApiErrorClass.Throttled), (e.ErrCode, e.Class));
        Assert.Equal(1, _fake.Journal.Count(Get));
    }

    [Fact]
    public async Task A_permanent_errcode_fails_at_once()
    {
        _fake.Faults.ErrCode(40096, Get);

        var e = await Assert.ThrowsAsync<ApiException>(ReadAlice);

        Assert.Equal((40096, ApiErrorClass.Permanent), (e.ErrCode, e.Class));
        Assert.Equal(1, _fake.Journal.Count(Get));
    }

    [Fact]
    public async Task Not_an_external_contact_gets_a_few_slow_retries()
    {
        _fake.Faults.ErrCode(84061, Get);

        var e = await Assert.ThrowsAsync<ApiException>(ReadAlice);

        Assert.Equal((84061, ApiErrorClass.Transient), (e.ErrCode, e.Class));
        Assert.Equal(3, _fake.Journal.Count(Get)); // NotExternalContactRetries = 2
    }

    [Fact]
    public async Task Http_5xx_and_a_dropped_connection_are_retried_for_a_read()
    {
        _fake.Faults.HttpStatus(502, Get, times: 1);
        _fake.Faults.DropConnection(Get, times: 1);

        Assert.Equal("Alice", await ReadAlice());
        Assert.Equal(3, _fake.Journal.Count(Get));
    }

    [Fact]
    public async Task An_unreadable_answer_is_retried_for_a_read()
    {
        _fake.Faults.MalformedResponse(Get, times: 1);

        Assert.Equal("Alice", await ReadAlice());
        Assert.Equal(2, _fake.Journal.Count(Get));
    }

    [Fact]
    public async Task A_read_that_times_out_is_retried()
    {
        using var app = ApiHost.Start(_fake.BaseUrl, settings: new Dictionary<string, string?> { ["ApiClients:AttemptTimeout"] = "00:00:01" });
        _fake.Faults.Latency(TimeSpan.FromSeconds(5), Get, times: 1);

        var alice = await app.WeCom.GetExternalContactAsync(ApiHost.Contact, "wmAlice");

        Assert.Equal("Alice", alice.Contact.Name);
    }

    [Fact]
    public async Task A_connection_that_cannot_be_made_is_transient_and_certainly_not_sent()
    {
        using var app = ApiHost.Start("http://127.0.0.1:" + Infrastructure.TestServers.FreePort());

        var e = await Assert.ThrowsAsync<ApiException>(() => app.WeCom.GetExternalContactAsync(ApiHost.Contact, "wmAlice"));

        Assert.Equal((ApiErrorClass.Transient, false, "/cgi-bin/gettoken"), (e.Class, e.OutcomeUnknown, e.Path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_expired_or_revoked_token_is_refreshed_once_and_the_call_retried_once(bool revoke)
    {
        await ReadAlice();
        if (revoke) _fake.Faults.RevokeTokens(); else _fake.Faults.ExpireTokens();

        Assert.Equal("Alice", await ReadAlice());

        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/gettoken"));
        Assert.Equal([0, revoke ? 40014 : 42001, 0], _fake.Journal.For(Get).Select(e => e.ErrCode ?? -99));
    }

    [Fact]
    public async Task A_token_refused_twice_is_not_refreshed_again()
    {
        await ReadAlice();
        _fake.Faults.ErrCode(42001, Get);

        var e = await Assert.ThrowsAsync<ApiException>(ReadAlice);

        Assert.Equal(ApiErrorClass.TokenExpired, e.Class);
        Assert.Equal(3, _fake.Journal.Count(Get)); // the first read, then one attempt and one retry
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }
}

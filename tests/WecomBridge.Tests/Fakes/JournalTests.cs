using System.Net;
using WecomBridge.Fakes;

namespace WecomBridge.Tests.Fakes;

public sealed class JournalTests : IDisposable
{
    private readonly WeComFakeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Journal_records_each_call_with_query_body_time_and_errcode()
    {
        var token = await _f.TokenAsync();
        await _f.GetAsync("/cgi-bin/externalcontact/get?external_userid=wmNobody", token);
        await _f.PostAsync("/cgi-bin/externalcontact/get_corp_tag_list", new { group_id = new[] { "etGroupLevel" } }, token);

        var get = Assert.Single(_f.Fake.Journal.For("/cgi-bin/externalcontact/get"));
        Assert.Equal("GET", get.Method);
        Assert.Contains("external_userid=wmNobody", get.Query);
        Assert.Equal(84061, get.ErrCode);
        Assert.Equal(_f.Clock.GetUtcNow(), get.Time);
        var post = Assert.Single(_f.Fake.Journal.For("/cgi-bin/externalcontact/get_corp_tag_list"));
        Assert.Contains("etGroupLevel", post.Body);
        Assert.Equal(0, post.ErrCode);
        Assert.Equal(1, _f.Fake.Journal.Count("/cgi-bin/gettoken"));
        Assert.Equal(3, _f.Fake.Journal.CountByPath().Values.Sum());
    }

    [Fact]
    public async Task With_KeepCalls_the_journal_and_the_request_log_keep_the_last_calls_only()
    {
        using var f = new WeComFakeFixture(new FakeOptions { KeepCalls = 5 });
        var token = await f.TokenAsync();
        for (var i = 0; i < 30; i++)
            await f.GetAsync($"/cgi-bin/externalcontact/get?external_userid=wm{i:D2}", token);
        using var unknown = await f.Http.GetAsync("/cgi-bin/externalcontact/nope");

        var entries = f.Fake.Journal.Entries;
        Assert.InRange(entries.Count, 5, 10); // trimmed to the last 5 whenever it reaches twice that
        Assert.Contains("external_userid=wm29", entries[^1].Query);
        Assert.DoesNotContain(entries, e => e.Path == "/cgi-bin/gettoken");
        await Until.True(() => f.Fake.UnexpectedCalls.Count == 1); // WireMock's request log: the last 5 requests
    }

    [Fact]
    public async Task Unknown_path_or_method_answers_404_and_is_an_unexpected_call()
    {
        _f.Fake.AssertNoUnexpectedCalls();
        using var unknown = await _f.Http.GetAsync("/cgi-bin/externalcontact/nope?x=1");
        using var wrongMethod = await _f.Http.DeleteAsync("/cgi-bin/gettoken");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);

        await Until.True(() => _f.Fake.UnexpectedCalls.Count == 2);
        Assert.Contains("GET /cgi-bin/externalcontact/nope?x=1", _f.Fake.UnexpectedCalls);
        Assert.Throws<InvalidOperationException>(_f.Fake.AssertNoUnexpectedCalls);
        Assert.Empty(_f.Fake.Journal.Entries);
    }
}

/// <summary>Waits for a condition with a bound instead of sleeping a fixed time.</summary>
internal static class Until
{
    public static async Task True(Func<bool> condition, int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        while (!condition())
        {
            if (cts.IsCancellationRequested) Assert.Fail("Condition not met in time.");
            await Task.Delay(10, CancellationToken.None);
        }
    }
}

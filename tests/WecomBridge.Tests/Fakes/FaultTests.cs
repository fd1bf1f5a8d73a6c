using System.Diagnostics;

namespace WecomBridge.Tests.Fakes;

public sealed class FaultTests : IDisposable
{
    private const string List = "/cgi-bin/externalcontact/list?userid=zhangsan";
    private const string ListPath = "/cgi-bin/externalcontact/list";
    private readonly WeComFakeFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Theory]
    [InlineData(-1)]
    [InlineData(45033)]
    [InlineData(48002)]
    public async Task Errcode_fault_on_one_path_for_the_next_calls(int errcode)
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.ErrCode(errcode, ListPath, times: 2);
        Assert.Equal(errcode, (await _f.GetAsync(List, token)).ErrCode());
        Assert.Equal(errcode, (await _f.GetAsync(List, token)).ErrCode());
        Assert.Equal(0, (await _f.GetAsync(List, token)).ErrCode());
    }

    [Fact]
    public async Task Errcode_fault_for_all_paths_until_cleared()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.ErrCode(-1);
        Assert.Equal(-1, (await _f.GetAsync(List, token)).ErrCode());
        Assert.Equal(-1, (await _f.PostAsync("/cgi-bin/externalcontact/get_corp_tag_list", new { }, token)).ErrCode());
        _f.Fake.Faults.Clear();
        Assert.Equal(0, (await _f.GetAsync(List, token)).ErrCode());
    }

    [Fact]
    public async Task Rate_limit_gives_45009_after_n_calls_in_a_minute_then_resets()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.RateLimit(2, ListPath);
        Assert.Equal(0, (await _f.GetAsync(List, token)).ErrCode());
        Assert.Equal(0, (await _f.GetAsync(List, token)).ErrCode());
        Assert.Equal(45009, (await _f.GetAsync(List, token)).ErrCode());
        _f.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await _f.GetAsync(List, token)).ErrCode());
    }

    [Fact]
    public async Task Expired_and_revoked_tokens_give_42001_and_40014()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.ExpireTokens();
        Assert.Equal(42001, (await _f.GetAsync(List, token)).ErrCode());
        var fresh = await _f.TokenAsync();
        _f.Fake.Faults.RevokeTokens();
        Assert.Equal(40014, (await _f.GetAsync(List, fresh)).ErrCode());
    }

    [Fact]
    public async Task Http_status_fault_answers_5xx()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.HttpStatus(503, ListPath, times: 1);
        using var response = await _f.Http.GetAsync($"{List}&access_token={token}");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(503, _f.Fake.Journal.For(ListPath).Single().StatusCode);
    }

    [Fact]
    public async Task Latency_fault_delays_the_answer()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.Latency(TimeSpan.FromMilliseconds(300), ListPath);
        var watch = Stopwatch.StartNew();
        Assert.Equal(0, (await _f.GetAsync(List, token)).ErrCode());
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Dropped_connection_fails_the_client()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.DropConnection(ListPath);
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            using var response = await _f.Http.GetAsync($"{List}&access_token={token}");
            await response.Content.ReadAsStringAsync();
        });
    }

    [Fact]
    public async Task Malformed_response_is_not_json()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.MalformedResponse(ListPath);
        using var response = await _f.Http.GetAsync($"{List}&access_token={token}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonDocument.Parse(text));
    }

    [Fact]
    public async Task Empty_response_has_no_body()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Faults.EmptyResponse(ListPath);
        using var response = await _f.Http.GetAsync($"{List}&access_token={token}");
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using WecomBridge.Fakes;

namespace WecomBridge.Tests.Fakes;

/// <summary>The fake's WeCom-like frequency limit: per corp and path, counted by arrival in a sliding window.</summary>
public sealed class ArrivalLimitTests : IDisposable
{
    private const string List = "/cgi-bin/externalcontact/list?userid=zhangsan";
    private const string ListPath = "/cgi-bin/externalcontact/list";
    private const string TagsPath = "/cgi-bin/externalcontact/get_corp_tag_list";
    private readonly WeComFakeFixture _f = new();

    public void Dispose() => _f.Dispose();

    private async Task<int> CallAsync(string token, TimeSpan after)
    {
        _f.Clock.Advance(after);
        return (await _f.GetAsync(List, token)).ErrCode();
    }

    [Fact]
    public async Task A_burst_across_a_minute_boundary_is_refused_where_fixed_slots_would_take_it()
    {
        var token = await _f.TokenAsync();
        _f.Clock.SetUtcNow(DateTimeOffset.Parse("2026-01-01T08:00:59.5Z"));
        _f.Fake.Limits.Set(ListPath, 3, TimeSpan.FromMinutes(1));
        var before = new[] { await CallAsync(token, TimeSpan.Zero), await CallAsync(token, TimeSpan.Zero), await CallAsync(token, TimeSpan.Zero) };
        // One second later a fixed per-minute slot would start afresh; the window that ends now still holds three.
        var after = new[] { await CallAsync(token, TimeSpan.FromSeconds(1)), await CallAsync(token, TimeSpan.Zero) };
        Assert.Equal([0, 0, 0], before);
        Assert.Equal([45009, 45009], after);
    }

    [Fact]
    public async Task A_call_goes_again_once_the_oldest_arrival_has_left_the_window()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Limits.Set(ListPath, 2, TimeSpan.FromSeconds(10));
        Assert.Equal(0, await CallAsync(token, TimeSpan.Zero));         // t = 0
        Assert.Equal(0, await CallAsync(token, TimeSpan.FromSeconds(6))); // t = 6
        Assert.Equal(45009, await CallAsync(token, TimeSpan.FromSeconds(3.9))); // t = 9.9: holds 0 and 6
        Assert.Equal(0, await CallAsync(token, TimeSpan.FromSeconds(6.2)));     // t = 16.1: 0 and 6 left, holds 9.9 (refused)
        var arrivals = _f.Fake.Limits.Arrivals(ListPath);
        Assert.Equal([false, false, true, false], arrivals.Select(a => a.Refused));
        Assert.Equal([0.0, 6.0, 9.9, 16.1], arrivals.Select(a => Math.Round((a.Time - arrivals[0].Time).TotalSeconds, 3)));
        Assert.Equal(1, _f.Fake.Limits.Refusals(ListPath));
        Assert.Equal(45009, _f.Fake.Journal.For(ListPath)[2].ErrCode);
    }

    [Fact]
    public async Task Refused_arrivals_count_too()
    {
        var token = await _f.TokenAsync();
        _f.Fake.Limits.Set(ListPath, 2, TimeSpan.FromSeconds(10));
        Assert.Equal(0, await CallAsync(token, TimeSpan.Zero));           // t = 0
        Assert.Equal(0, await CallAsync(token, TimeSpan.Zero));           // t = 0
        Assert.Equal(45009, await CallAsync(token, TimeSpan.FromSeconds(9)));   // t = 9: refused, but counted
        Assert.Equal(0, await CallAsync(token, TimeSpan.FromSeconds(1.5)));     // t = 10.5: holds 9 only
        Assert.Equal(45009, await CallAsync(token, TimeSpan.FromSeconds(0.1))); // t = 10.6: holds 9 and 10.5
    }

    [Fact]
    public async Task The_limit_is_per_corp_across_its_secrets_and_per_path()
    {
        var contact = await _f.TokenAsync("contact-secret");
        var app = await _f.TokenAsync("app-secret");
        _f.Fake.Limits.Set(ListPath, 1, TimeSpan.FromSeconds(10));
        Assert.Equal(0, await CallAsync(contact, TimeSpan.Zero));
        Assert.Equal(45009, await CallAsync(app, TimeSpan.Zero));
        Assert.Equal(0, (await _f.PostAsync(TagsPath, new { }, app)).ErrCode()); // another path: not limited
        Assert.All(_f.Fake.Limits.Arrivals(), a => Assert.Equal(_f.Fake.Data.CorpId, a.Corp));
    }

    [Fact]
    public async Task The_control_endpoint_sets_a_limit_and_reads_the_arrivals()
    {
        var token = await _f.TokenAsync();
        Assert.Equal(0, await PostLimitAsync(new { path = ListPath, calls = 1, window_ms = 5000 }));
        Assert.Equal(0, await CallAsync(token, TimeSpan.Zero));
        Assert.Equal(45009, await CallAsync(token, TimeSpan.FromSeconds(1)));
        var read = await _f.GetAsync($"{WeComFake.LimitsPath}?path={ListPath}", token: null);
        Assert.Equal((2, 1, 5000), (read["arrivals"]!.GetValue<int>(), read["refused"]!.GetValue<int>(),
            read["limits"]![ListPath]!["window_ms"]!.GetValue<int>()));
        Assert.Equal([false, true], read["last"]!.AsArray().Select(a => a!["refused"]!.GetValue<bool>()));

        Assert.Equal(0, await PostLimitAsync(new { path = ListPath, calls = 0 })); // lifted
        Assert.Equal(0, await CallAsync(token, TimeSpan.Zero));
    }

    public static TheoryData<string> BadLimits => new()
    {
        "not json",
        "[]",
        """{"calls":5,"window_ms":1000}""",
        """{"path":"cgi-bin/x","calls":5,"window_ms":1000}""",
        """{"path":"/__fake/limits","calls":1,"window_ms":1000}""",
        """{"path":"/cgi-bin/x\u0000","calls":5,"window_ms":1000}""",
        """{"path":"/cgi-bin/x","calls":-1,"window_ms":1000}""",
        """{"path":"/cgi-bin/x","calls":"5","window_ms":1000}""",
        """{"path":"/cgi-bin/x","calls":1.5,"window_ms":1000}""",
        """{"path":"/cgi-bin/x","calls":99999999999,"window_ms":1000}""",
        """{"path":"/cgi-bin/x","calls":5}""",
        """{"path":"/cgi-bin/x","calls":5,"window_ms":0}""",
        """{"path":"/cgi-bin/x","calls":5,"window_ms":86400001}""",
        """{"path":"/cgi-bin/x","calls":5,"window_ms":"1000"}""",
        "{\"path\":\"/" + new string('a', 300) + "\",\"calls\":5,\"window_ms\":1000}",
        "{\"path\":\"/cgi-bin/x\",\"calls\":5,\"window_ms\":1000,\"pad\":\"" + new string('x', 1_000_000) + "\"}",
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public async Task Malformed_hostile_and_oversized_limits_are_refused_and_change_nothing(string body)
    {
        _f.Fake.Limits.Set(ListPath, 7, TimeSpan.FromSeconds(1));
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _f.Http.PostAsync(WeComFake.LimitsPath, content);
        var answer = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        // The one oversized body that is otherwise valid sets its limit; every other one is refused with a reason.
        if (body.Length > 100_000)
        {
            Assert.Equal(0, answer.ErrCode());
            return;
        }
        Assert.Equal(40058, answer.ErrCode());
        Assert.False(string.IsNullOrEmpty(answer.Str("errmsg")));
        Assert.Equal(ListPath, Assert.Single(_f.Fake.Limits.Limits).Key);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("100001")]
    public async Task A_bad_listing_limit_is_refused(string limit)
    {
        var answer = await _f.GetAsync($"{WeComFake.LimitsPath}?limit={limit}", token: null);
        Assert.Equal(40058, answer.ErrCode());
    }

    private async Task<int> PostLimitAsync(object body)
    {
        using var response = await _f.Http.PostAsJsonAsync(WeComFake.LimitsPath, body);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!.ErrCode();
    }
}

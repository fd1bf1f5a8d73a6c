using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Fakes;

namespace WecomBridge.Tests.Fakes;

public sealed class OfficialAccountFakeTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T08:00:00Z"));
    private readonly OfficialAccountFake _fake;
    private readonly HttpClient _http;

    public OfficialAccountFakeTests()
    {
        _fake = OfficialAccountFake.Start(new FakeOptions { TimeProvider = _clock, OpenIdPageSize = 2 });
        _http = new HttpClient { BaseAddress = new Uri(_fake.BaseUrl) };
    }

    public void Dispose()
    {
        _http.Dispose();
        _fake.Dispose();
    }

    private async Task<JsonNode> Post(string path, object body, string? token = null)
    {
        using var response = await _http.PostAsJsonAsync(token is null ? path : $"{path}?access_token={token}", body);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private async Task<JsonNode> Get(string pathAndQuery) => (await _http.GetFromJsonAsync<JsonNode>(pathAndQuery))!;

    private async Task<string> Token() =>
        (await Post("/cgi-bin/stable_token", new { grant_type = "client_credential", appid = _fake.Data.AppId, secret = "oa-secret" })).Str("access_token");

    [Fact]
    public async Task Stable_token_returns_the_same_token_and_rejects_a_wrong_secret()
    {
        Assert.Equal(await Token(), await Token());
        var wrong = await Post("/cgi-bin/stable_token", new { grant_type = "client_credential", appid = _fake.Data.AppId, secret = "x" });
        Assert.Equal(40125, wrong.ErrCode());
        Assert.Equal(40001, (await Get("/cgi-bin/user/info?openid=oAlice&access_token=bogus")).ErrCode());
    }

    [Fact]
    public async Task Template_send_returns_msgid_and_dedupes_client_msg_id()
    {
        var token = await Token();
        var body = new { touser = "oAlice", template_id = "TPL_ORDER_SHIPPED", client_msg_id = "order-42", data = new { thing1 = new { value = "Shipped" } } };
        var first = await Post("/cgi-bin/message/template/send", body, token);
        var again = await Post("/cgi-bin/message/template/send", body, token);
        Assert.Equal(0, first.ErrCode());
        Assert.Equal(first["msgid"]!.GetValue<long>(), again["msgid"]!.GetValue<long>());
        Assert.Single(_fake.Data.SentTemplateMessages);
        var badTemplate = await Post("/cgi-bin/message/template/send", new { touser = "oAlice", template_id = "nope", data = new { } }, token);
        Assert.Equal(40037, badTemplate.ErrCode());
    }

    [Fact]
    public async Task Custom_send_works_only_within_48_hours_of_the_followers_last_message()
    {
        var token = await Token();
        var body = new { touser = "oBob", msgtype = "text", text = new { content = "Hi" } };
        Assert.Equal(45015, (await Post("/cgi-bin/message/custom/send", body, token)).ErrCode());
        _fake.RecordFollowerMessage("oBob");
        _clock.Advance(TimeSpan.FromHours(47));
        Assert.Equal(0, (await Post("/cgi-bin/message/custom/send", body, await Token())).ErrCode());
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(45015, (await Post("/cgi-bin/message/custom/send", body, await Token())).ErrCode());
    }

    [Fact]
    public async Task User_info_and_user_get_paging_by_next_openid()
    {
        var token = await Token();
        var info = await Get($"/cgi-bin/user/info?openid=oAlice&lang=zh_CN&access_token={token}");
        Assert.Equal("unAlice", info.Str("unionid"));
        Assert.Equal(100, info["tagid_list"]![0]!.GetValue<int>());

        var first = await Get($"/cgi-bin/user/get?access_token={token}");
        Assert.Equal(3, first["total"]!.GetValue<int>());
        Assert.Equal(2, first["count"]!.GetValue<int>());
        var second = await Get($"/cgi-bin/user/get?next_openid={first.Str("next_openid")}&access_token={token}");
        Assert.Equal("oCarol", Assert.Single(second["data"]!["openid"]!.AsArray())!.GetValue<string>());
        var end = await Get($"/cgi-bin/user/get?next_openid={second.Str("next_openid")}&access_token={token}");
        Assert.Equal(0, end["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Faults_work_on_the_oa_fake_too()
    {
        var token = _fake.IssueToken();
        _fake.Faults.ExpireTokens();
        Assert.Equal(42001, (await Get($"/cgi-bin/user/info?openid=oAlice&access_token={token}")).ErrCode());
        var fresh = await Token();
        _fake.Faults.ErrCode(45009, "/cgi-bin/message/template/send", times: 1);
        var body = new { touser = "oAlice", template_id = "TPL_ORDER_SHIPPED", data = new { } };
        Assert.Equal(45009, (await Post("/cgi-bin/message/template/send", body, fresh)).ErrCode());
        Assert.Equal(0, (await Post("/cgi-bin/message/template/send", body, fresh)).ErrCode());
        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/message/template/send"));
    }

    [Fact]
    public async Task Batch_tagging_and_untagging_change_followers_tags()
    {
        var token = await Token();
        Assert.Equal(0, (await Post("/cgi-bin/tags/members/batchtagging", new { openid_list = new[] { "oBob", "oCarol" }, tagid = 101 }, token)).ErrCode());
        Assert.Equal([101], _fake.Data.Follower("oBob")!.TagIds);
        Assert.Equal(0, (await Post("/cgi-bin/tags/members/batchuntagging", new { openid_list = new[] { "oBob" }, tagid = 101 }, token)).ErrCode());
        Assert.Empty(_fake.Data.Follower("oBob")!.TagIds);
        Assert.Equal(45159, (await Post("/cgi-bin/tags/members/batchtagging", new { openid_list = new[] { "oBob" }, tagid = 999 }, token)).ErrCode());
    }
}

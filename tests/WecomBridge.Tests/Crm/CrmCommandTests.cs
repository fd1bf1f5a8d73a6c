using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Fakes.Data;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Crm;

/// <summary>The commands reach the fakes with the right bodies; WeCom errcodes become problem details.</summary>
public sealed class CrmCommandTests : IAsyncLifetime
{
    private const string Tags = "/api/v1/wecom/acme/contacts/wmAlice/tags";
    private const string MarkTag = "/cgi-bin/externalcontact/mark_tag";
    private readonly ApiApp _api = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    [Fact]
    public async Task Tags_are_marked_with_the_members_userid_and_the_contacts_external_userid()
    {
        var response = await _api.Client().PostAsJsonAsync(Tags, new { userId = "zhangsan", add = new[] { "etTagAds" }, remove = new[] { "etTagVip" } });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var body = JsonDocument.Parse(Assert.Single(_api.WeCom.Journal.For(MarkTag)).Body).RootElement;
        Assert.Equal("zhangsan", body.GetProperty("userid").GetString());
        Assert.Equal("wmAlice", body.GetProperty("external_userid").GetString());
        Assert.Equal("etTagAds", body.GetProperty("add_tag")[0].GetString());
        Assert.Equal("etTagVip", body.GetProperty("remove_tag")[0].GetString());
        Assert.Contains("etTagAds", _api.WeCom.Data.Contact("wmAlice")!.FollowUsers[0].TagIds);
        _api.WeCom.AssertNoUnexpectedCalls();
    }

    [Fact]
    public async Task A_remark_is_set_with_unicode_intact()
    {
        var response = await _api.Client().PutAsJsonAsync("/api/v1/wecom/acme/contacts/wmAlice/remark",
            new { userId = "zhangsan", remark = "爱丽丝 🌸", description = "来自广告", remarkMobiles = new[] { "+8613800000000" } });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var body = JsonDocument.Parse(Assert.Single(_api.WeCom.Journal.For("/cgi-bin/externalcontact/remark")).Body).RootElement;
        Assert.Equal("爱丽丝 🌸", body.GetProperty("remark").GetString());
        Assert.Equal("+8613800000000", body.GetProperty("remark_mobiles")[0].GetString());
        Assert.Equal("爱丽丝 🌸", _api.WeCom.Data.Contact("wmAlice")!.FollowUsers[0].Remark);
    }

    [Fact]
    public async Task Follower_tagging_is_split_into_calls_of_50()
    {
        var openIds = Enumerable.Range(0, 120).Select(i => $"oFollower{i}").ToArray();
        _api.OfficialAccount.Data.Followers.AddRange(openIds.Select(id => new Follower { OpenId = id }));

        var response = await _api.Client().PostAsJsonAsync("/api/v1/oa/brand/followers/tags/101", new { add = openIds, remove = new[] { "oAlice" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, result.GetProperty("calls").GetInt32());
        var calls = _api.OfficialAccount.Journal.For("/cgi-bin/tags/members/batchtagging");
        Assert.Equal([50, 50, 20], calls.Select(c => JsonDocument.Parse(c.Body).RootElement.GetProperty("openid_list").GetArrayLength()));
        Assert.All(calls, c => Assert.Equal(101, JsonDocument.Parse(c.Body).RootElement.GetProperty("tagid").GetInt32()));
        Assert.Single(_api.OfficialAccount.Journal.For("/cgi-bin/tags/members/batchuntagging"));
        Assert.Contains(101, _api.OfficialAccount.Data.Follower("oFollower119")!.TagIds);
    }

    [Theory]
    [InlineData(40068)]
    [InlineData(48002)]
    public async Task A_permanent_errcode_is_422_with_the_errcode_and_the_path(int errcode)
    {
        _api.WeCom.Faults.ErrCode(errcode, MarkTag);

        var response = await _api.Client().PostAsJsonAsync(Tags, new { userId = "zhangsan", add = new[] { "etTagAds" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await ApiKeyTests.AssertProblem(response, 422);
        Assert.Equal(errcode, problem.GetProperty("errcode").GetInt32());
        Assert.Equal(MarkTag, problem.GetProperty("path").GetString());
        Assert.DoesNotContain("access_token", problem.ToString());
        Assert.Single(_api.WeCom.Journal.For(MarkTag)); // permanent: not retried
    }

    [Fact]
    public async Task An_unknown_tag_from_the_fake_is_422()
    {
        var response = await _api.Client().PostAsJsonAsync(Tags, new { userId = "zhangsan", add = new[] { "etTagNope" } });
        var problem = await ApiKeyTests.AssertProblem(response, 422);
        Assert.Equal(40068, problem.GetProperty("errcode").GetInt32());
    }

    [Fact]
    public async Task A_rate_limit_is_429_with_retry_after()
    {
        _api.WeCom.Faults.RateLimit(0, MarkTag);

        var response = await _api.Client().PostAsJsonAsync(Tags, new { userId = "zhangsan", add = new[] { "etTagAds" } });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        var problem = await ApiKeyTests.AssertProblem(response, 429);
        Assert.Equal(45009, problem.GetProperty("errcode").GetInt32());
    }

    [Fact]
    public async Task A_502_that_persists_after_retries_is_503()
    {
        _api.WeCom.Faults.HttpStatus(502, MarkTag);

        var response = await _api.Client().PostAsJsonAsync(Tags, new { userId = "zhangsan", add = new[] { "etTagAds" } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = await ApiKeyTests.AssertProblem(response, 503);
        Assert.Equal(MarkTag, problem.GetProperty("path").GetString());
        Assert.True(_api.WeCom.Journal.For(MarkTag).Count > 1, "retried before giving up");
    }

    [Fact]
    public async Task An_oa_errcode_maps_the_same_way()
    {
        _api.OfficialAccount.Faults.ErrCode(45011, "/cgi-bin/tags/members/batchtagging");

        var response = await _api.Client().PostAsJsonAsync("/api/v1/oa/brand/followers/tags/100", new { add = new[] { "oBob" } });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }
}

using System.Net;
using System.Text;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Crm;

/// <summary>
/// Malformed, hostile and empty input: 400 problem details, and no call reaches the fakes. One app serves every test
/// of the class: none of them is let through, so "no call reached the fakes" holds for the app's whole life.
/// </summary>
public sealed class CrmValidationTests(CrmValidationTests.App app) : IClassFixture<CrmValidationTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public ApiApp Api { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;
        public Task DisposeAsync() => Api.DisposeAsync().AsTask();
    }

    private const string Tags = "/api/v1/wecom/acme/contacts/wmAlice/tags";
    private const string Remark = "/api/v1/wecom/acme/contacts/wmAlice/remark";
    private const string Followers = "/api/v1/oa/brand/followers/tags/100";
    private readonly ApiApp _api = app.Api;

    private static string Ids(int count, string prefix = "etTag") => "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"{prefix}{i}\"")) + "]";
    private static readonly string Huge = new('a', 200_000); // under the body limit, so validation sees it

    public static TheoryData<string, string, string?> BadRequests => new()
    {
        // tags
        { Tags, "", null },
        { Tags, "{}", "userId" },
        { Tags, "null", null },
        { Tags, "[]", null },
        { Tags, "{\"userId\":\"zhangsan\"}", "add" },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":[],\"remove\":[]}", "add" },
        { Tags, "{\"userId\":\"\",\"add\":[\"etTagVip\"]}", "userId" },
        { Tags, "{\"userId\":\"张三\",\"add\":[\"etTagVip\"]}", "userId" },
        { Tags, $"{{\"userId\":\"{Huge}\",\"add\":[\"etTagVip\"]}}", "userId" },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":[\"\"]}", "add[0]" },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":[null]}", "add[0]" },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":[\"etTag\\u0000Vip\"]}", "add[0]" },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":[\"etTagVip\",\"etTagVip\"]}", "add" },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":[\"etTagVip\"],\"remove\":[\"etTagVip\"]}", "add" },
        { Tags, $"{{\"userId\":\"zhangsan\",\"add\":{Ids(101)}}}", "add" },
        { Tags, $"{{\"userId\":\"zhangsan\",\"remove\":{Ids(10_000)}}}", "remove" },
        { Tags, "{\"userId\":42,\"add\":[\"etTagVip\"]}", null },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":\"etTagVip\"}", null },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":[1,2]}", null },
        { Tags, "{\"userId\":\"zhangsan\",\"add\":[\"etTagVip\"]", null },
        { "/api/v1/wecom/acme/contacts/wm%20Alice/tags", "{\"userId\":\"zhangsan\",\"add\":[\"etTagVip\"]}", "externalUserId" },
        { $"/api/v1/wecom/acme/contacts/{new string('w', 200)}/tags", "{\"userId\":\"zhangsan\",\"add\":[\"etTagVip\"]}", "externalUserId" },
        // remark
        { Remark, "{}", "userId" },
        { Remark, "{\"userId\":\"zhangsan\"}", "remark" },
        { Remark, "{\"userId\":\"zhangsan\",\"remark\":\"一二三四五六七八九十一二三四五六七八九十一\"}", "remark" },
        { Remark, $"{{\"userId\":\"zhangsan\",\"remark\":\"ok\",\"description\":\"{new string('d', 151)}\"}}", "description" },
        { Remark, "{\"userId\":\"zhangsan\",\"remark\":\"ok\",\"remarkMobiles\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}", "remarkMobiles" },
        { Remark, "{\"userId\":\"zhangsan\",\"remark\":\"ok\",\"remarkMobiles\":[\"13800000000; DROP\"]}", "remarkMobiles[0]" },
        { Remark, "{\"userId\":\"zhangsan\",\"remark\":[\"ok\"]}", null },
        // followers
        { Followers, "{}", "add" },
        { Followers, "{\"add\":[\"o Alice\"]}", "add[0]" },
        { Followers, $"{{\"add\":{Ids(1001, "o")}}}", "add" },
        { Followers, $"{{\"add\":[\"{Huge}\"]}}", "add[0]" },
        { Followers, "{\"add\":{\"oAlice\":true}}", null },
        { "/api/v1/oa/brand/followers/tags/0", "{\"add\":[\"oAlice\"]}", "tagId" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_400_problem_details_and_calls_nothing(string path, string json, string? field)
    {
        var method = path.EndsWith("/remark") ? HttpMethod.Put : HttpMethod.Post;
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        var response = await _api.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiKeyTests.AssertProblem(response, 400);
        if (field is not null)
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), errors.ToString());
        }
        Assert.Empty(_api.WeCom.Journal.Entries);
        Assert.Empty(_api.OfficialAccount.Journal.Entries);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused()
    {
        var response = await _api.Client().PostAsync(Tags, new StringContent("userId=zhangsan", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(_api.WeCom.Journal.Entries);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_before_binding()
    {
        var json = "{\"userId\":\"zhangsan\",\"add\":[\"etTagVip\"],\"padding\":\"" + new string('x', 300 * 1024) + "\"}";

        var response = await _api.Client().PostAsync(Tags, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await ApiKeyTests.AssertProblem(response, 413);
        Assert.Empty(_api.WeCom.Journal.Entries);
    }
}

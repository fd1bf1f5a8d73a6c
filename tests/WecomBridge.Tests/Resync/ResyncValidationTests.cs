using System.Text;
using System.Text.Json;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Resync;

/// <summary>
/// Requests the re-sync API refuses (malformed, hostile, out of the key's scope): 400 or 403, and nothing called.
/// One app serves every test of the class: none of them starts a run, so "nothing called" holds for the app's whole
/// life. Runs are in <see cref="ResyncApiTests"/>.
/// </summary>
public sealed class ResyncValidationTests(ResyncValidationTests.App app) : IClassFixture<ResyncValidationTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public ApiApp Api { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;
        public Task DisposeAsync() => Api.DisposeAsync().AsTask();
    }

    private readonly ApiApp _api = app.Api;

    public static TheoryData<string, string?> BadRequests => new()
    {
        { "{}", "scope" },
        { "", null },
        { "{\"corp\":\"acme\",\"scope\":\"everything\"}", "scope" },
        { "{\"corp\":\"acme\",\"scope\":\"CONTACTS\"}", "scope" },
        { "{\"scope\":\"tags\"}", "corp" },
        { "{\"corp\":\"acme\",\"account\":\"brand\",\"scope\":\"tags\"}", "account" },
        { "{\"corp\":\"acme\",\"scope\":\"followers\"}", "account" },
        { "{\"corp\":\"acme\",\"scope\":\"contacts\"}", "userIds" },
        { "{\"corp\":\"acme\",\"scope\":\"tags\",\"userIds\":[\"zhangsan\"]}", "userIds" },
        { "{\"corp\":\"acme\",\"scope\":\"contacts\",\"userIds\":[\"张三\"]}", "userIds[0]" },
        { "{\"corp\":\"ac me\",\"scope\":\"tags\"}", "corp" },
        { "{\"corp\":[\"acme\"],\"scope\":\"tags\"}", null },
        { "{\"corp\":\"acme\",\"scope\":7}", null },
        { "{\"corp\":\"acme\",\"scope\":\"contacts\",\"userIds\":" + JsonSerializer.Serialize(Enumerable.Range(0, 10_001).Select(i => $"u{i}")) + "}", "userIds" },
        { "{\"corp\":\"" + new string('a', 100_000) + "\",\"scope\":\"tags\"}", "corp" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_400_problem_details_and_starts_nothing(string json, string? field)
    {
        var response = await _api.Client().PostAsync("/api/v1/resync", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await ApiKeyTests.AssertProblem(response, 400);
        if (field is not null)
            Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), problem.ToString());
        Assert.Empty(_api.WeCom.Journal.Entries);
        Assert.Empty(_api.OfficialAccount.Journal.Entries);
    }

    [Theory]
    [InlineData("{\"corp\":\"beta\",\"scope\":\"tags\"}")]
    [InlineData("{\"corp\":\"nowhere\",\"scope\":\"tags\"}")]
    [InlineData("{\"account\":\"news\",\"scope\":\"followers\"}")]
    public async Task A_corp_or_account_outside_the_keys_scope_is_403(string json)
    {
        var response = await _api.Client().PostAsync("/api/v1/resync", new StringContent(json, Encoding.UTF8, "application/json"));
        await ApiKeyTests.AssertProblem(response, 403);
        Assert.Empty(_api.WeCom.Journal.Entries);
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Fakes;

namespace WecomBridge.Tests.Fakes;

/// <summary>A WeCom fake on a free port with a fake clock, and small JSON helpers.</summary>
public sealed class WeComFakeFixture : IDisposable
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-01-01T08:00:00Z"));
    public WeComFake Fake { get; }
    public HttpClient Http { get; }

    public WeComFakeFixture(FakeOptions? options = null)
    {
        options ??= new FakeOptions();
        options.TimeProvider = Clock;
        Fake = WeComFake.Start(options);
        Http = new HttpClient { BaseAddress = new Uri(Fake.BaseUrl) };
    }

    public async Task<string> TokenAsync(string secret = "contact-secret")
    {
        var answer = await GetAsync($"/cgi-bin/gettoken?corpid={Fake.Data.CorpId}&corpsecret={secret}", token: null);
        return answer["access_token"]!.GetValue<string>();
    }

    public async Task<JsonNode> GetAsync(string pathAndQuery, string? token)
    {
        var url = token is null ? pathAndQuery : $"{pathAndQuery}{(pathAndQuery.Contains('?') ? '&' : '?')}access_token={token}";
        return (await Http.GetFromJsonAsync<JsonNode>(url))!;
    }

    public async Task<JsonNode> PostAsync(string path, object body, string token)
    {
        using var response = await Http.PostAsJsonAsync($"{path}?access_token={token}", body);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public void Dispose()
    {
        Http.Dispose();
        Fake.Dispose();
    }
}

internal static class JsonAssert
{
    public static int ErrCode(this JsonNode answer) => answer["errcode"]!.GetValue<int>();

    public static string Str(this JsonNode answer, string name) => answer[name]!.GetValue<string>();
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Sending.Api;

/// <summary>
/// <see cref="ApiApp"/> with two apps in corp acme ("crm" with an AgentId, "contact" without) and helpers for
/// POST /api/v1/messages. Published commands land in <see cref="ApiApp.Events"/>.
/// </summary>
internal static class SendApiApp
{
    public const string Messages = "/api/v1/messages";

    public static ApiApp Create(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeCom:Corps:acme:Apps:crm:AgentId"] = "1000002",
            ["WeCom:Corps:acme:Apps:crm:Secret"] = "app-secret",
            ["WeCom:Corps:acme:Apps:crm:Token"] = "crmtoken",
            ["WeCom:Corps:acme:Apps:crm:EncodingAesKey"] = new string('a', 43),
            ["WeCom:Corps:acme:Apps:contact:Token"] = "contacttoken",
            ["WeCom:Corps:acme:Apps:contact:EncodingAesKey"] = new string('b', 43),
            ["SendApi:PublishTimeout"] = "00:00:00.300",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return new ApiApp(settings: settings);
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Messages) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostMessage(this HttpClient client, object body, string? idempotencyKey = null) =>
        client.PostJson(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), idempotencyKey);

    public static async Task<string> AcceptedId(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("messageId").GetString()!;
        Assert.Equal($"/api/v1/messages/{id}", response.Headers.Location?.ToString());
        return id;
    }

    // One valid request per kind.
    public static object CustomerTask(object? part = null) => new
    {
        kind = "customer-task", corp = "acme",
        customerTask = part ?? new { sender = "zhangsan", externalUserIds = new[] { "wmCustomer1", "wmCustomer2" }, text = "Spring offer" },
    };

    public static object Template(object? part = null) => new
    {
        kind = "template", account = "brand",
        template = part ?? new { openId = "oFollower1", templateId = "tplOrderShipped_01", data = new { thing1 = new string('货', 20), amount2 = "9.90" }, url = "https://shop.example/o/1" },
    };
}

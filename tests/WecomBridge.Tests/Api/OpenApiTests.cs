using System.Text.Json;

namespace WecomBridge.Tests.Api;

public sealed class OpenApiTests : IAsyncLifetime
{
    private readonly ApiApp _api = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    [Fact]
    public async Task The_document_lists_the_api_v1_routes_with_the_bearer_key()
    {
        var document = JsonDocument.Parse(await _api.Client(key: null).GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/wecom/{corp}/contacts/{externalUserId}/tags", "/api/v1/wecom/{corp}/contacts/{externalUserId}/remark",
                     "/api/v1/oa/{account}/followers/tags/{tagId}", "/api/v1/resync", "/api/v1/resync/{id}",
                     "/api/v1/messages", "/api/v1/messages/{id}", "/api/v1/wecom/{corp}/suppressions/{externalUserId}",
                     "/api/v1/oa/{account}/suppressions/{openId}", "/api/v1/dead-letters", "/api/v1/dead-letters/{id}",
                     "/api/v1/dead-letters/{id}/replay", "/api/v1/dead-letters/queues/{queue}", "/api/v1/dead-letters/queues/{queue}/replay" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var tags = paths.GetProperty("/api/v1/wecom/{corp}/contacts/{externalUserId}/tags").GetProperty("post");
        Assert.True(tags.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        Assert.True(tags.GetProperty("responses").TryGetProperty("422", out _));
        var send = paths.GetProperty("/api/v1/messages").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "202", "400", "401", "403", "413", "415", "422", "503" })
            Assert.True(send.TryGetProperty(status, out _), status);
    }
}

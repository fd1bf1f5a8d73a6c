using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Pool;
using WecomBridge.Pool.Segments;
using WecomBridge.Tests.Api;
using static WecomBridge.Tests.Pool.Segments.SegmentApiTests;

namespace WecomBridge.Tests.Pool.Segments;

/// <summary>Without PostgreSQL (the embedded mode) segments are kept and run in memory, through the same API.</summary>
public sealed class SegmentEmbeddedTests
{
    [Fact]
    public async Task The_embedded_mode_saves_counts_pages_and_exports_segments_in_memory()
    {
        await using var app = new ApiApp();
        var store = Assert.IsType<InMemoryPoolStore>(app.Factory.Services.GetRequiredService<ISegmentStore>());
        var projection = app.Factory.Services.GetRequiredService<PoolProjection>();
        foreach (var e in SegmentStoreContract.SmallPool()) await store.ApplyAsync(PoolProjection.EventId(e), projection.Map(e)!);

        var created = await app.Client().PostAsync("/api/v1/pool/acme/segments",
            Json("""{"name": "Winter", "filter": {"state": "winter"}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var count = await app.Client().GetFromJsonAsync<JsonElement>($"/api/v1/pool/acme/segments/{id}/count");
        Assert.Equal(2, count.GetProperty("count").GetInt64());
        var page = await app.Client().GetFromJsonAsync<JsonElement>($"/api/v1/pool/acme/segments/{id}/contacts?limit=1");
        Assert.Equal("wm01", page.GetProperty("items")[0].GetProperty("externalUserId").GetString());
        var export = await app.Client().GetStringAsync($"/api/v1/pool/acme/segments/{id}/export");
        Assert.Equal(["wm01", "wm03"], export.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("externalUserId").GetString()));
        var query = await app.Client().PostAsync("/api/v1/pool/acme/segments/query", Json("""{"filter": {"oaSubscribed": "brand"}}"""));
        Assert.Equal("wm05", (await query.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("externalUserId").GetString());
    }
}

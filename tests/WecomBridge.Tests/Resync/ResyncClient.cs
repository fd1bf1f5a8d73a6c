using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Resync;

/// <summary>Starts a re-sync and waits (bounded) for its end.</summary>
internal static class ResyncClient
{
    public static Task<HttpResponseMessage> StartAsync(HttpClient client, object body) => client.PostAsJsonAsync("/api/v1/resync", body);

    public static async Task<JsonElement> FinishedAsync(HttpClient client, Uri location) =>
        await Eventually.Get(async () => await client.GetFromJsonAsync<JsonElement>(location),
            run => run.GetProperty("state").GetString() != "running", TimeSpan.FromSeconds(30), "re-sync end");
}

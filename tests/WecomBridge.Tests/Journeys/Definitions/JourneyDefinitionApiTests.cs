using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys.Definitions;

/// <summary>
/// The definition endpoints on the dispatcher, with the versions in memory and in PostgreSQL: create, replace, list,
/// read a version, deactivate; the examples of examples/journeys/ go through as they are.
/// </summary>
public sealed class JourneyDefinitionApiTests
{
    private const string Journeys = "/api/v1/journeys/acme";

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task<JsonElement> Ok(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<T> With<T>(bool postgres, Func<ApiApp, Task<T>> test)
    {
        var database = postgres ? await PoolDatabase.CreateAsync() : null;
        var app = new ApiApp(settings: database is null ? null
            : new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = database.ConnectionString });
        try
        {
            return await test(app);
        }
        finally
        {
            await app.DisposeAsync();
            if (database is not null) await database.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task A_journey_is_created_replaced_read_by_version_listed_and_deactivated(bool postgres) => With(postgres, async app =>
    {
        var client = app.Client();
        var welcome = await File.ReadAllTextAsync(Path.Combine(JourneyJson.ExamplesFolder, "welcome-sop.json"));

        var created = await client.PostAsync(Journeys, Json(welcome));
        var v1 = await Ok(created, HttpStatusCode.Created);
        Assert.Equal("/api/v1/journeys/acme/welcome-sop", created.Headers.Location!.OriginalString);
        Assert.Equal(("acme", "welcome-sop", 1, true), (v1.GetProperty("corp").GetString(), v1.GetProperty("id").GetString(),
            v1.GetProperty("version").GetInt32(), v1.GetProperty("active").GetBoolean()));
        Assert.Equal(7, v1.GetProperty("definition").GetProperty("steps").GetArrayLength());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync(Journeys, Json(welcome))).StatusCode);

        // The definition as read is what PUT takes back; without its id, the URL's.
        var changed = v1.GetProperty("definition").GetRawText().Replace("\"id\":\"welcome-sop\",", "").Replace("Welcome aboard!", "Hello!");
        var v2 = await Ok(await client.PutAsync($"{Journeys}/welcome-sop", Json(changed)));
        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        Assert.Contains("Welcome aboard!", (await Ok(await client.GetAsync($"{Journeys}/welcome-sop?version=1"))).GetRawText());
        Assert.Contains("Hello!", (await Ok(await client.GetAsync($"{Journeys}/welcome-sop"))).GetRawText());

        var v3 = await Ok(await client.DeleteAsync($"{Journeys}/welcome-sop"));
        Assert.Equal((3, false), (v3.GetProperty("version").GetInt32(), v3.GetProperty("active").GetBoolean()));
        Assert.False(v3.GetProperty("definition").GetProperty("active").GetBoolean());
        Assert.Equal(3, (await Ok(await client.DeleteAsync($"{Journeys}/welcome-sop"))).GetProperty("version").GetInt32());
        Assert.True((await Ok(await client.GetAsync($"{Journeys}/welcome-sop?version=2"))).GetProperty("active").GetBoolean());

        var v4 = await Ok(await client.PutAsync($"{Journeys}/welcome-sop", Json(changed)));
        Assert.Equal((4, true), (v4.GetProperty("version").GetInt32(), v4.GetProperty("active").GetBoolean()));

        var list = await Ok(await client.GetAsync(Journeys));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(4, item.GetProperty("version").GetInt32());
        Assert.Empty((await Ok(await app.Client(ApiApp.OtherKey).GetAsync("/api/v1/journeys/beta"))).GetProperty("items").EnumerateArray());
        return true;
    });

    [Fact]
    public Task Every_example_is_accepted_by_the_API() => With(postgres: false, async app =>
    {
        foreach (var file in JourneyJson.Examples())
            await Ok(await app.Client().PostAsync(Journeys, Json(await File.ReadAllTextAsync(file))), HttpStatusCode.Created);
        Assert.Equal(JourneyJson.Examples().Count(),
            (await Ok(await app.Client().GetAsync(Journeys))).GetProperty("items").GetArrayLength());
        return true;
    });

    [Fact]
    public Task A_journey_entering_a_saved_segment_names_one_of_the_corp() => With(postgres: false, async app =>
    {
        var segment = await Ok(await app.Client().PostAsync("/api/v1/pool/acme/segments",
            Json("""{"name": "vip", "filter": {"tags": {"any": ["etVIP"]}}}""")), HttpStatusCode.Created);
        var trigger = $$"""{"kind": "segmentEntered", "segmentId": "{{segment.GetProperty("id").GetString()}}"}""";

        await Ok(await app.Client().PostAsync(Journeys, Json(JourneyJson.Journey(trigger: trigger))), HttpStatusCode.Created);
        return true;
    });
}

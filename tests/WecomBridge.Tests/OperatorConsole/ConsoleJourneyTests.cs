using System.Net;
using Microsoft.Playwright;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Tests.Journeys.Views;
using static Microsoft.Playwright.Assertions;

namespace WecomBridge.Tests.OperatorConsole;

/// <summary>
/// The console's journey panel in Chromium: the console (served by the fixture's app, which runs no pool) has its
/// journey calls for corp acme answered by an in-process dispatcher with journeys running (memory store), so the panel
/// shows what the real progress route answers; the fixture's other corps have no journeys.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleJourneyTests(ConsoleFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_journey_panel_shows_each_journeys_progress_per_step()
    {
        await using var bridge = await JourneyViewsApp.StartAsync();
        var (journey, _) = await JourneyViewApiTests.EnrolAsync(bridge, "welcome", "wmA", T0);
        await JourneyViewApiTests.EnrolAsync(bridge, "welcome", "wmB", T0);
        var claimed = (await bridge.Store.ClaimAsync("t", T0, TimeSpan.FromMinutes(1), 10)).First(s => s.Enrolment.ExternalUserId == "wmA");
        await bridge.Store.CompleteAsync("t", claimed, new(0, "s1", StepOutcomes.Taken, null, null, T0, "tag"),
            JourneySchedule.Next(journey, 1, T0, TimeZoneInfo.Utc));
        var page = await fixture.OpenAsync();
        using var client = bridge.Client();
        await page.RouteAsync("**/api/v1/journeys/**", async route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            if (path != "/api/v1/journeys/acme" && !path.StartsWith("/api/v1/journeys/acme/", StringComparison.Ordinal))
            {
                await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = """{"items":[]}""" });
                return;
            }
            using var response = await client.GetAsync(new Uri(route.Request.Url).PathAndQuery);
            await route.FulfillAsync(new() { Status = (int)response.StatusCode, ContentType = "application/json",
                Body = await response.Content.ReadAsStringAsync() });
        });

        await page.GetByLabel("API key").FillAsync(ConsoleFixture.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var card = page.Locator("#journeys [data-journey='welcome']");
        await Expect(card).ToContainTextAsync("version 1");
        await Expect(card.Locator("table").First.Locator("tbody td")).ToHaveTextAsync(["2", "2", "0", "0"]);
        await Expect(card.Locator("tbody tr", new() { HasText = "s1" }).Locator("td")).ToHaveTextAsync(["s1", "1", "1", "0", "0"]);
        await Expect(card.Locator("tbody tr", new() { HasText = "s2" }).Locator("td")).ToHaveTextAsync(["s2", "1", "0", "0", "0"]);
        await Expect(page.Locator("#journeys")).ToContainTextAsync("No journeys.");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/journeys/acme/welcome/progress")).StatusCode);
        await page.Context.CloseAsync();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using StackExchange.Redis;
using WecomBridge.Sending.Errors;
using WecomBridge.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WecomBridge.Tests.OperatorConsole;

/// <summary>
/// The console in a real headless Chromium against the running app: sign-in (and a wrong key), a degraded corp with
/// its errcode and advice, journeys missing (404), the last hour's send errors and the ambiguous sends, a dead letter
/// inspected and replayed, hostile data shown as text.
/// Waits are Playwright's bounded auto-waiting assertions.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleFixture fixture)
{
    // Assertions wait as long as actions (the fixture's 15 s), not Playwright's 5 s: on a busy machine the console's
    // first load alone can take longer than that.
    static ConsoleBrowserTests() => SetDefaultExpectTimeout(15_000);

    private static async Task SignInAsync(IPage page, string key = ConsoleFixture.Key)
    {
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task A_wrong_key_shows_a_clear_error_and_keeps_nothing()
    {
        var page = await fixture.OpenAsync();

        await SignInAsync(page, "not-a-configured-key");

        await Expect(page.Locator("#signin-error")).ToContainTextAsync("Wrong API key");
        await Expect(page.Locator("#panels")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('wecombridge.apiKey')"));
        Assert.DoesNotContain("not-a-configured-key", page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_degraded_corp_shows_its_errcode_and_advice_and_journeys_are_not_available()
    {
        // The corp has the fake's corp id and contact secret, so its token may be cached already: the app's enrichment
        // reads every contact event on the shared broker (other tests' too) and fetches that token for corp acme.
        // Expired tokens make the send's call (42001) fetch a new one, which the fault refuses.
        var refused = fixture.WeCom.Faults.ErrCode(60020, "/cgi-bin/gettoken");
        fixture.WeCom.Faults.ExpireTokens();
        try
        {
            using var http = fixture.Client();
            var send = await http.PostAsJsonAsync("/api/v1/messages", new
            {
                kind = "customer-task", corp = fixture.Corp, customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice" }, text = "Hi" },
            });
            Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);
            await Eventually.True(async () => (await http.GetStringAsync("/api/v1/health/accounts?corp=" + fixture.Corp)).Contains("\"failing\""),
                what: "the corp's token fetch failing");
            var page = await fixture.OpenAsync();

            await SignInAsync(page);

            var card = page.Locator($"#health [data-corp='{fixture.Corp}']");
            await Expect(card).ToContainTextAsync("degraded");
            await Expect(card).ToContainTextAsync("60020");
            await Expect(card).ToContainTextAsync("trusted IPs");
            await Expect(page.Locator("#errors")).ToContainTextAsync("60020");
            await Expect(page.Locator("#errors")).ToContainTextAsync("trusted IPs");
            await Expect(page.Locator("#journeys")).ToContainTextAsync("Journeys are not available");
            await Expect(page.Locator("#stuck .body")).Not.ToContainTextAsync("HTTP");
            await Expect(page.Locator("#rates .body")).ToContainTextAsync("idle API bucket");
            Assert.NotNull(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('wecombridge.apiKey')"));
            await page.Context.CloseAsync();
        }
        finally
        {
            fixture.WeCom.Faults.Remove(refused); // the fixture's other tests get tokens again
        }
    }

    [Fact]
    public async Task Send_errors_of_the_last_hour_show_with_advice_and_ambiguous_sends_are_listed_as_text()
    {
        const string path = "/cgi-bin/externalcontact/add_msg_template";
        using var http = fixture.Client();
        async Task<string> SendAsync(string customer)
        {
            var response = await http.PostAsJsonAsync("/api/v1/messages", new
            {
                kind = "customer-task", corp = fixture.Corp, customerTask = new { sender = "zhangsan", externalUserIds = new[] { customer }, text = "Hi" },
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString()!;
        }
        async Task FinishedAsync(string id, string state) => await Eventually.True(
            async () => (await http.GetStringAsync("/api/v1/messages/" + id)).Contains($"\"status\":\"{state}\""), what: $"send {id} {state}");
        // Faults held until the send ends (not "once"): another test's send of the corp may still be waiting on a pause
        // and take a one-time fault first; that send ends refused or ambiguous too, which nothing asserts.
        string refused, unknown;
        var fault = fixture.WeCom.Faults.ErrCode(40096, path);
        try
        {
            refused = await SendAsync("wmAlice");
            await FinishedAsync(refused, "failed");
            fixture.WeCom.Faults.Remove(fault);
            fault = fixture.WeCom.Faults.HttpStatus(502, path);
            unknown = await SendAsync("wmBob");
            await FinishedAsync(unknown, "ambiguous");
        }
        finally
        {
            fixture.WeCom.Faults.Remove(fault);
        }
        // An ambiguous send whose reason holds markup, written straight into the shared history.
        const string markup = "<img src=x onerror=window.__xss=5>";
        var hostile = "hostile-" + Guid.NewGuid().ToString("N")[..8];
        using (var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis))
            await new RedisSendErrorStore(redis).RecordAsync(new SendError(SendError.ScopeOf(fixture.Corp, null), "ambiguous", null,
                new SendErrorEntry(hostile, "customer-task", fixture.Corp, null, null, DateTimeOffset.UtcNow, markup, null)),
                new SendErrorLimits(TimeSpan.FromHours(24), 5, 200));

        var page = await fixture.OpenAsync();
        await SignInAsync(page);

        var row = page.Locator("#send-errors tr", new() { HasText = "40096" });
        await Expect(row).ToContainTextAsync(fixture.Corp);
        await Expect(row).ToContainTextAsync(refused);
        await Expect(row).ToContainTextAsync("external userid");
        await Expect(page.Locator("#send-errors-title")).ToContainTextAsync("last hour");
        await Expect(page.Locator("#ambiguous tr", new() { HasText = unknown })).ToContainTextAsync("may have reached WeCom");
        await Expect(page.Locator("#ambiguous tr", new() { HasText = hostile })).ToContainTextAsync(markup);
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_dead_letter_is_inspected_and_replayed_to_its_queue()
    {
        var queue = "test.console." + Guid.NewGuid().ToString("N")[..8];
        var letter = await ConsoleLetters.StoreAsync(fixture, queue, """{"externalUserId":"wmReplayMe","corp":"acme"}""",
            "urn:message:Test:ReplayMe", "consumer failed");
        try
        {
            var page = await fixture.OpenAsync();
            await SignInAsync(page);

            var row = page.Locator("#dead-letters tr", new() { HasText = letter.Id });
            await Expect(row).ToContainTextAsync("urn:message:Test:ReplayMe");
            await row.GetByRole(AriaRole.Button, new() { Name = "Inspect" }).ClickAsync();
            await Expect(row.Locator("pre")).ToContainTextAsync("wmReplayMe");
            await row.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();

            await Expect(page.Locator("#status")).ToContainTextAsync($"{letter.Id} replayed");
            await Expect(page.Locator("#dead-letters")).Not.ToContainTextAsync(letter.Id);
            Assert.Equal(1u, await ConsoleLetters.CountAsync(queue));
            using var http = fixture.Client();
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/dead-letters/" + letter.Id)).StatusCode);
            await page.Context.CloseAsync();
        }
        finally
        {
            await ConsoleLetters.DeleteQueueAsync(queue);
        }
    }

    [Fact]
    public async Task A_hostile_corp_name_and_dead_letter_show_as_text_and_run_no_script()
    {
        const string markup = "<script>window.__xss=2</script><img src=x onerror=window.__xss=3>";
        var queue = "test.console." + Guid.NewGuid().ToString("N")[..8];
        var letter = await ConsoleLetters.StoreAsync(fixture, queue, $$"""{"externalUserId":"{{markup.Replace("\"", "\\\"")}}"}""",
            "<svg onload=window.__xss=4>", "fault " + markup);
        try
        {
            var page = await fixture.OpenAsync();
            var dialogs = 0;
            page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
            await SignInAsync(page);

            await Expect(page.Locator("#health")).ToContainTextAsync(ConsoleFixture.HostileCorp);
            var row = page.Locator("#dead-letters tr", new() { HasText = letter.Id });
            await Expect(row).ToContainTextAsync("<svg onload=window.__xss=4>");
            await Expect(row).ToContainTextAsync("fault <script>");
            await row.GetByRole(AriaRole.Button, new() { Name = "Inspect" }).ClickAsync();
            await Expect(row.Locator("pre")).ToContainTextAsync("<script>window.__xss=2</script>");
            // Nothing of it became an element, and nothing ran.
            Assert.Equal(0, await page.Locator("main img, main svg, main script, main b").CountAsync());
            Assert.Equal(0, dialogs);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));

            // Discard asks once more, then removes it.
            await row.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
            await row.GetByRole(AriaRole.Button, new() { Name = "Confirm discard" }).ClickAsync();
            await Expect(page.Locator("#dead-letters")).Not.ToContainTextAsync(letter.Id);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
            await page.Context.CloseAsync();
        }
        finally
        {
            await ConsoleLetters.DeleteQueueAsync(queue);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Sending.Errors;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.OperatorConsole;

/// <summary>One dispatcher (real Redis and RabbitMQ, in process) for the error routes' tests: key "ops" may use its own corp and account.</summary>
public sealed class SendErrorsApiApp : IAsyncLifetime
{
    public const string Key = "errors-api-key-0123456789", OtherKey = "errors-api-other-0123456789";

    public SendErrorsApiApp()
    {
        var settings = DispatcherApp.OwnKeys(out var corp, out var account);
        (Corp, Account) = (corp, account);
        settings["SendApi:ApiKeys:0:Name"] = "ops";
        settings["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key);
        settings["SendApi:ApiKeys:0:Corps:0"] = corp;
        settings["SendApi:ApiKeys:0:Accounts:0"] = account;
        settings["SendApi:ApiKeys:1:Name"] = "other";
        settings["SendApi:ApiKeys:1:KeyHash"] = ApiApp.Hash(OtherKey);
        settings["SendApi:ApiKeys:1:Corps:0"] = "acme";
        settings["SendApi:ApiKeys:1:Accounts:0"] = "brand";
        App = new DispatcherApp(settings);
    }

    public string Corp { get; }
    public string Account { get; }
    public DispatcherApp App { get; }

    public HttpClient Client(string? key = Key)
    {
        var http = App.App.CreateClient();
        if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}

/// <summary>
/// GET /api/v1/dispatch/errors and /dispatch/ambiguous: groups by errcode with the errcode table's advice, the key's
/// corps and accounts only, newest ambiguous sends first; malformed, hostile, oversized and out-of-scope queries.
/// </summary>
public sealed class SendErrorsApiTests(SendErrorsApiApp fixture) : IClassFixture<SendErrorsApiApp>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private Task RecordAsync(string state, int? errCode, string? corp, string? account, string id, string kind = "customer-task",
        DateTimeOffset? at = null)
    {
        var when = at ?? DateTimeOffset.UtcNow;
        var status = new SendStatus(id, kind, corp, null, account, "ops", state, when, when, 1, ErrCode: errCode, Reason: $"refused: errcode {errCode}",
            FirstCallAt: state == SendStates.Ambiguous ? when.AddSeconds(-2) : null);
        return fixture.App.Services.GetRequiredService<SendErrorHistory>().RecordAsync(status);
    }

    [Fact]
    public async Task Errors_are_grouped_by_errcode_and_state_with_advice_for_the_keys_corps_and_accounts_only()
    {
        var (c, a) = (fixture.Corp, fixture.Account);
        await RecordAsync(SendStates.Failed, 40096, c, null, "m-40096-1");
        await RecordAsync(SendStates.Failed, 40096, c, null, "m-40096-2");
        await RecordAsync(SendStates.Failed, 60020, c, null, "m-60020");
        await RecordAsync(SendStates.Ambiguous, null, c, null, "m-ambiguous");
        await RecordAsync(SendStates.Failed, 45015, null, a, "m-45015", "customer-service");
        await RecordAsync(SendStates.Failed, 40003, "acme", null, "m-acme");
        await RecordAsync(SendStates.Sent, null, c, null, "m-sent"); // only failed and ambiguous sends are kept

        var page = await Json(await fixture.Client().GetAsync("/api/v1/dispatch/errors"));

        Assert.Equal(3600, page.GetProperty("windowSeconds").GetInt32());
        var rows = page.GetProperty("errors").EnumerateArray().ToList();
        JsonElement Row(string state, int? code) => rows.Single(r => r.GetProperty("state").GetString() == state
            && (code is null ? r.GetProperty("errCode").ValueKind == JsonValueKind.Null : r.GetProperty("errCode").GetInt32() == code));
        var refused = Row(SendStates.Failed, 40096);
        Assert.Equal((c, 2), (refused.GetProperty("corp").GetString(), refused.GetProperty("count").GetInt32()));
        Assert.Contains("external userid", refused.GetProperty("advice").GetString());
        Assert.Equal(["m-40096-2", "m-40096-1"], refused.GetProperty("recent").EnumerateArray().Select(r => r.GetProperty("messageId").GetString()));
        Assert.Contains("trusted IPs", Row(SendStates.Failed, 60020).GetProperty("advice").GetString()); // the health report's advice
        Assert.Contains("not repeated", Row(SendStates.Ambiguous, null).GetProperty("advice").GetString());
        Assert.Equal(a, Row(SendStates.Failed, 45015).GetProperty("account").GetString());
        Assert.Equal(rows.Count, rows.Select(r => r.GetProperty("recent")[0].GetProperty("messageId").GetString()).Distinct().Count());
        Assert.DoesNotContain(rows, r => r.GetProperty("corp").GetString() == "acme");
        Assert.DoesNotContain(page.ToString(), "m-sent");

        var corpOnly = await Json(await fixture.Client().GetAsync($"/api/v1/dispatch/errors?corp={c.ToUpperInvariant()}&window=60"));
        Assert.All(corpOnly.GetProperty("errors").EnumerateArray(), r => Assert.Equal(c, r.GetProperty("corp").GetString()));
        Assert.Equal(60, corpOnly.GetProperty("windowSeconds").GetInt32());
        var accountOnly = await Json(await fixture.Client().GetAsync($"/api/v1/dispatch/errors?account={a}"));
        Assert.Equal(45015, accountOnly.GetProperty("errors").EnumerateArray().Single().GetProperty("errCode").GetInt32());
        var other = await Json(await fixture.Client(SendErrorsApiApp.OtherKey).GetAsync("/api/v1/dispatch/errors"));
        Assert.DoesNotContain(other.GetProperty("errors").EnumerateArray(), r => r.GetProperty("corp").GetString() == c);
    }

    [Fact]
    public async Task Ambiguous_sends_are_listed_newest_first_within_the_limit_for_the_keys_scope()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 4).Select(i => $"amb-{Guid.NewGuid():N}-{i}").ToList();
        for (var i = 0; i < ids.Count; i++) await RecordAsync(SendStates.Ambiguous, null, fixture.Corp, null, ids[i], at: now.AddSeconds(i - 10));
        var theirs = "amb-acme-" + Guid.NewGuid().ToString("N");
        await RecordAsync(SendStates.Ambiguous, null, "acme", null, theirs, at: now);

        var page = await Json(await fixture.Client().GetAsync($"/api/v1/dispatch/ambiguous?corp={fixture.Corp}&limit=3"));

        var sends = page.GetProperty("sends").EnumerateArray().ToList();
        Assert.Equal([ids[3], ids[2], ids[1]], sends.Select(s => s.GetProperty("messageId").GetString()));
        Assert.Equal(now.AddSeconds(-7), sends[0].GetProperty("at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(now.AddSeconds(-7).AddSeconds(-2), sends[0].GetProperty("firstCallAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(("customer-task", fixture.Corp), (sends[0].GetProperty("kind").GetString(), sends[0].GetProperty("corp").GetString()));
        var all = await Json(await fixture.Client().GetAsync("/api/v1/dispatch/ambiguous"));
        Assert.DoesNotContain(all.GetProperty("sends").EnumerateArray(), s => s.GetProperty("messageId").GetString() == theirs);
        var other = await Json(await fixture.Client(SendErrorsApiApp.OtherKey).GetAsync("/api/v1/dispatch/ambiguous?limit=200"));
        Assert.Contains(other.GetProperty("sends").EnumerateArray(), s => s.GetProperty("messageId").GetString() == theirs);
    }

    [Fact]
    public async Task Malformed_hostile_oversized_and_out_of_scope_queries_get_clear_errors()
    {
        var http = fixture.Client();
        foreach (var (query, field) in new[]
                 {
                     ("errors?corp=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "corp"), ("errors?corp=" + new string('a', 65), "corp"),
                     ("errors?corp=" + new string('a', 6000), "corp"), ("errors?corp=", "corp"), ("errors?corp=a&corp=b", "corp"),
                     ("errors?account=a%20b", "account"), ("errors?corp=acme&account=brand", "account"),
                     ("errors?window=59", "window"), ("errors?window=86401", "window"), ("errors?window=abc", "window"),
                     ("errors?window=1e3", "window"), ("errors?window=-60", "window"), ("errors?window=99999999999999999999", "window"),
                     ("errors?window=%00", "window"),
                     ("ambiguous?corp=%E4%BC%81%E4%B8%9A", "corp"), ("ambiguous?account=" + new string('x', 6000), "account"),
                     ("ambiguous?limit=0", "limit"), ("ambiguous?limit=201", "limit"), ("ambiguous?limit=ten", "limit"),
                     ("ambiguous?limit=1.5", "limit"),
                 })
        {
            var problem = await Json(await http.GetAsync("/api/v1/dispatch/" + query), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), query);
        }
        foreach (var query in new[] { "errors?corp=acme", "errors?account=brand", "ambiguous?corp=acme", "ambiguous?corp=nosuchcorp" })
            await Json(await http.GetAsync("/api/v1/dispatch/" + query), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Client(key: null).GetAsync("/api/v1/dispatch/errors")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Client("wrong-key").GetAsync("/api/v1/dispatch/ambiguous")).StatusCode);

        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/dispatch/errors", "/api/v1/dispatch/ambiguous" })
        {
            var get = document.GetProperty(path).GetProperty("get");
            Assert.True(get.GetProperty("security")[0].TryGetProperty("ApiKey", out _), path);
            foreach (var status in new[] { "200", "400", "403" }) Assert.True(get.GetProperty("responses").TryGetProperty(status, out _), path + " " + status);
        }
    }
}

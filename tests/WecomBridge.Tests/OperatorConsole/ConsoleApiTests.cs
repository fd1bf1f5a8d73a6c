using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.OperatorConsole;

/// <summary>
/// The console's static shell and its two read routes on a dispatcher (real Redis and RabbitMQ, in process): rates
/// against limits with throttle pauses, stuck sends of the key's corps; malformed, hostile and out-of-scope queries.
/// </summary>
public sealed class ConsoleApiTests : IAsyncLifetime
{
    private const string Key = "console-api-key-0123456789", OtherKey = "console-api-other-0123456789";
    private readonly DispatcherApp _app;
    private readonly string _corp;

    public ConsoleApiTests()
    {
        var settings = DispatcherApp.OwnKeys(out _corp, out _);
        settings["SendApi:ApiKeys:0:Name"] = "ops";
        settings["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key);
        settings["SendApi:ApiKeys:0:Corps:0"] = _corp;
        settings["SendApi:ApiKeys:1:Name"] = "other";
        settings["SendApi:ApiKeys:1:KeyHash"] = ApiApp.Hash(OtherKey);
        settings["SendApi:ApiKeys:1:Corps:0"] = "acme";
        _app = new DispatcherApp(settings);
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private HttpClient Client(string? key = Key)
    {
        var http = _app.App.CreateClient();
        if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task The_shell_is_served_with_its_security_policy_and_nothing_else_is()
    {
        var http = Client(key: null);

        var page = await http.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html); // no inline script: only <script src=…>
        Assert.Equal("text/javascript", (await http.GetAsync("/console/console.js")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/console")).StatusCode);
        foreach (var path in new[] { "/console/nope.js", "/console/..%2Fappsettings.json", "/console/WecomBridge.dll", "/console/%3Cscript%3E" })
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/dispatch/rates")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/dispatch/stuck")).StatusCode);
    }

    [Fact]
    public async Task Rates_count_the_calls_that_left_against_the_limit_and_show_a_throttle_pause()
    {
        var limits = _app.Services.GetRequiredService<ApiLimits>();
        var bucket = limits.ForCorp(_corp, "message/send");
        var limiter = _app.Services.GetRequiredService<IRateLimiter>();
        for (var i = 0; i < 3; i++) Assert.Equal(TimeSpan.Zero, (await limiter.DepartAsync(bucket, TimeSpan.Zero)).Wait);
        var pauses = _app.Services.GetRequiredService<ISendPauseStore>();
        var rule = new ThrottleRule(TimeSpan.FromMinutes(1), 2, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1), null);
        var add = limits.ForCorp(_corp, "externalcontact/add_msg_template").Key;
        await pauses.ThrottleAsync(new SendPause(add, PauseCauses.Throttled, _corp, null, null, "externalcontact/add_msg_template", 45009,
            "45009", "WeCom throttled the API: sends resume by themselves"), rule, DateTimeOffset.UtcNow);

        var page = await Json(await Client().GetAsync("/api/v1/dispatch/rates?corp=" + _corp));

        var buckets = page.GetProperty("buckets").EnumerateArray().ToList();
        Assert.All(buckets, b => Assert.Equal(_corp, b.GetProperty("corp").GetString())); // narrowed to the corp
        var send = buckets.Single(b => b.GetProperty("api").GetString() == "message_send");
        Assert.Equal((3, 5000, 60.0), (send.GetProperty("departed").GetInt32(), send.GetProperty("permits").GetInt32(),
            send.GetProperty("windowSeconds").GetDouble()));
        var paused = buckets.Single(b => b.GetProperty("api").GetString() == "add_msg_template").GetProperty("pause");
        Assert.Equal((45009, "throttled"), (paused.GetProperty("errCode").GetInt32(), paused.GetProperty("cause").GetString()));
        Assert.Contains("resume by themselves", paused.GetProperty("advice").GetString());
        // The other key sees acme's buckets, never this corp's.
        var other = await Json(await Client(OtherKey).GetAsync("/api/v1/dispatch/rates"));
        Assert.DoesNotContain(other.GetProperty("buckets").EnumerateArray(), b => b.GetProperty("corp").GetString() == _corp);
        Assert.Contains(other.GetProperty("buckets").EnumerateArray(), b => b.GetProperty("corp").GetString() == "acme");
    }

    [Fact]
    public async Task Stuck_lists_overdue_sends_of_the_keys_corps_only_with_when_the_sweeper_settles_them()
    {
        var store = _app.Services.GetRequiredService<ISendStatusStore>();
        var past = DateTimeOffset.UtcNow.AddMinutes(-10);
        SendStatus Status(string corp) => new(Sends.NewId(), "customer-task", corp, null, null, "ops", SendStates.Accepted, past, past);
        var ours = Status(_corp);
        var theirs = Status("acme");
        await store.AcceptAsync(ours, null, "h", TimeSpan.FromMinutes(1));
        await store.AcceptAsync(theirs, null, "h", TimeSpan.FromMinutes(1));

        var page = await Json(await Client().GetAsync("/api/v1/dispatch/stuck?overdue=60&limit=200"));

        var sends = page.GetProperty("sends").EnumerateArray().ToList();
        var stuck = sends.Single(s => s.GetProperty("messageId").GetString() == ours.MessageId);
        Assert.Equal("accepted", stuck.GetProperty("state").GetString());
        Assert.True(stuck.GetProperty("overdueSeconds").GetDouble() >= 590);
        Assert.Equal(past.AddHours(1), stuck.GetProperty("sweptAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain(sends, s => s.GetProperty("messageId").GetString() == theirs.MessageId);
        Assert.Contains(sends, s => s.GetProperty("corp").GetString() == _corp);
        var later = await Json(await Client().GetAsync("/api/v1/dispatch/stuck?overdue=3600"));
        Assert.DoesNotContain(later.GetProperty("sends").EnumerateArray(), s => s.GetProperty("messageId").GetString() == ours.MessageId);
    }

    [Fact]
    public async Task Malformed_hostile_oversized_and_out_of_scope_queries_get_clear_errors()
    {
        var http = Client();
        foreach (var (query, field) in new[]
                 {
                     ("rates?corp=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "corp"), ("rates?corp=" + new string('a', 65), "corp"),
                     ("rates?account=a%20b", "account"), ("rates?corp=acme&account=brand", "account"), ("rates?corp=", "corp"),
                     ("stuck?overdue=-1", "overdue"), ("stuck?overdue=abc", "overdue"), ("stuck?overdue=99999999999999999999", "overdue"),
                     ("stuck?overdue=604801", "overdue"), ("stuck?limit=0", "limit"), ("stuck?limit=201", "limit"),
                     ("stuck?limit=1e3", "limit"), ("stuck?limit=%00", "limit"),
                 })
        {
            var problem = await Json(await http.GetAsync("/api/v1/dispatch/" + query), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), query);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/dispatch/rates?corp=acme")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/dispatch/rates?account=brand")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client("wrong-key").GetAsync("/api/v1/dispatch/stuck")).StatusCode);

        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/dispatch/rates", "/api/v1/dispatch/stuck" })
        {
            var get = document.GetProperty(path).GetProperty("get");
            Assert.True(get.GetProperty("security")[0].TryGetProperty("ApiKey", out _), path);
            Assert.True(get.GetProperty("responses").TryGetProperty("400", out _), path);
        }
        Assert.False(document.TryGetProperty("/console/{file}", out _));
    }
}

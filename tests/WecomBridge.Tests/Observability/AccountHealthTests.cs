using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Observability;

/// <summary>
/// Health that explains itself, on a running app with real RabbitMQ and Redis against the fakes: a token WeCom
/// refuses (IP not trusted, wrong secret) degrades its corp with the errcode table's advice in the API, in
/// /health/ready and in the gauge; callbacks heard and refused show per URL.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class AccountHealthTests
{
    private const string CorpId = "wwfakecorp0000001";

    private static HttpClient Client(DispatcherApp app)
    {
        var http = app.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MetricsApp.Key);
        return http;
    }

    private static async Task<JsonElement> Health(HttpClient http, string query = "")
    {
        var response = await http.GetAsync("/api/v1/health/accounts" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static DispatcherApp StartWithOwnCorp(out string corp, string secret = "contact-secret")
    {
        var settings = DispatcherApp.OwnKeys(out corp, out _);
        settings[$"WeCom:Corps:{corp}:ContactSecret"] = secret;
        settings["SendApi:ApiKeys:0:Corps:1"] = corp;
        settings["ApiClients:TokenKeyPrefix"] = $"wb:token:{corp}:"; // no token another test cached for the fake's corp
        return MetricsApp.Start(settings);
    }

    [Fact]
    public async Task A_token_refused_for_an_untrusted_ip_degrades_the_corp_with_the_advice_in_the_api_readiness_and_gauge()
    {
        await using var app = StartWithOwnCorp(out var corp);
        app.WeCom.Faults.ErrCode(60020, "/cgi-bin/gettoken");
        var http = Client(app);

        await app.PublishAsync(Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp });

        var page = await Eventually.Get(() => Health(http, "?corp=" + corp),
            p => p.GetProperty("corps")[0].GetProperty("pauses").GetArrayLength() > 0
                 && p.GetProperty("corps")[0].GetProperty("contactToken").GetProperty("state").GetString() == "failing",
            what: "the failing token and the pause recorded");
        Assert.Equal("degraded", page.GetProperty("status").GetString());
        Assert.Equal(0, page.GetProperty("accounts").GetArrayLength()); // asked about one corp
        var health = page.GetProperty("corps")[0];
        Assert.Equal(corp, health.GetProperty("corp").GetString());
        var token = health.GetProperty("contactToken");
        Assert.Equal($"WeCom:Corps:{corp}:ContactSecret", token.GetProperty("secret").GetString());
        Assert.Equal(60020, token.GetProperty("errCode").GetInt32());
        Assert.Contains("trusted IPs", token.GetProperty("advice").GetString());
        var pause = health.GetProperty("pauses")[0];
        Assert.Equal(("configuration", 60020), (pause.GetProperty("cause").GetString(), pause.GetProperty("errCode").GetInt32()));
        Assert.Contains(health.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("trusted IPs"));

        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // Degraded is still ready
        var check = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("accounts");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains($"WeCom:Corps:{corp}:ContactSecret", check.GetProperty("description").GetString());
        Assert.Contains("trusted IPs", check.GetProperty("description").GetString());
        Assert.Equal("degraded", check.GetProperty("data").GetProperty("wecom:" + corp).GetString());
        Assert.Contains(check.GetProperty("data").GetProperty("oa:brand").GetString(), new[] { "healthy", "unknown" });

        await Eventually.True(async () => Scrape.Parse(await http.GetStringAsync("/metrics")).Samples
            .Any(s => s.Name == "wecombridge_account_degraded" && s.Labels.GetValueOrDefault("corp") == corp && s.Value == "1"),
            what: "the degraded gauge of the corp");
    }

    [Fact]
    public async Task A_secret_wecom_refuses_names_the_setting_to_fix()
    {
        await using var app = StartWithOwnCorp(out var corp, secret: "not-the-secret");
        var http = Client(app);

        await app.PublishAsync(Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp });

        var token = (await Eventually.Get(() => Health(http, "?corp=" + corp.ToUpperInvariant()),
            p => p.GetProperty("corps")[0].GetProperty("contactToken").GetProperty("state").GetString() == "failing",
            what: "the failing token")).GetProperty("corps")[0].GetProperty("contactToken");
        Assert.Equal(40001, token.GetProperty("errCode").GetInt32());
        Assert.Equal("Configuration", token.GetProperty("errorClass").GetString());
        Assert.Contains($"set WeCom:Corps:{corp}:ContactSecret", token.GetProperty("advice").GetString());
        Assert.DoesNotContain("not-the-secret", await http.GetStringAsync("/api/v1/health/accounts"));
        Assert.DoesNotContain("not-the-secret", await http.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task Tokens_that_work_and_callbacks_heard_then_refused_for_their_signature_show_per_url()
    {
        await using var app = MetricsApp.Start();
        var http = Client(app);
        await Eventually.True(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, what: "ready");
        var template = Sends.Template();
        await app.PublishAsync(template);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(template.MessageId)).State);
        var simulator = new CallbackSimulator();
        var good = new WeComCallbackApp("DemoToken123", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CorpId);
        var xml = WeComEvents.Text(CorpId, "zhangsan", "hello", Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(simulator.BuildWeComPost(good, xml).ToHttpRequest("/callbacks/wecom/acme/crm"))).StatusCode);

        var page = await Eventually.Get(() => Health(http),
            p => p.GetProperty("accounts")[0].GetProperty("token").GetProperty("state").GetString() == "ok"
                 && Crm(p).GetProperty("callback").GetProperty("state").GetString() == "heard",
            what: "the account's token and the app's callbacks recorded");
        Assert.Equal("healthy", page.GetProperty("accounts")[0].GetProperty("status").GetString());
        Assert.Equal("/callbacks/wecom/acme/crm", Crm(page).GetProperty("callback").GetProperty("url").GetString());

        var wrong = new WeComCallbackApp("SomeoneElsesToken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CorpId);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await http.SendAsync(simulator.BuildWeComPost(wrong, xml).ToHttpRequest("/callbacks/wecom/acme/crm"))).StatusCode);

        var refused = await Eventually.Get(() => Health(http, "?corp=acme"),
            p => Crm(p).GetProperty("callback").GetProperty("state").GetString() == "refused", what: "the refusal recorded");
        var callback = Crm(refused).GetProperty("callback");
        Assert.Equal("signature mismatch", callback.GetProperty("refusal").GetString());
        Assert.Contains("WeCom:Corps:acme:Apps:crm:Token and EncodingAesKey", callback.GetProperty("advice").GetString());
        Assert.Equal("degraded", refused.GetProperty("corps")[0].GetProperty("status").GetString());
    }

    private static JsonElement Crm(JsonElement page) =>
        page.GetProperty("corps").EnumerateArray().Single(c => c.GetProperty("corp").GetString() == "acme")
            .GetProperty("apps").EnumerateArray().Single(a => a.GetProperty("app").GetString() == "crm");
}

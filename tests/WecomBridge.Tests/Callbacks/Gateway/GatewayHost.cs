using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// The app as a gateway against the test servers, with one WeCom corp/app, a plaintext-mode Official Account
/// and a safe-mode one, a spool folder of its own and a small body limit. Usable as a class fixture.
/// </summary>
public class GatewayHost : IAsyncLifetime
{
    public const string Corp = "acme", App = "crm", CorpId = "wwgatewaytest0001";
    public const string PlainAccount = "brand", SafeAccount = "vault";
    public const int MaxBodyBytes = 4096;
    public const string WeComUrl = $"/callbacks/wecom/{Corp}/{App}";
    public const string PlainUrl = $"/callbacks/oa/{PlainAccount}", SafeUrl = $"/callbacks/oa/{SafeAccount}";

    public static readonly WeComCallbackApp WeCom = new("GwToken42", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CorpId);
    public static readonly OaCallbackApp Plain = new("OaPlainToken", "wxgatewayplain01", OriginalId: "gh_plainaccount");
    public static readonly OaCallbackApp Safe = new(
        "OaSafeToken", "wxgatewaysafe001", "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut", OaEncryptionMode.Safe, "gh_safeaccount");

    private readonly Action<Dictionary<string, string?>>? _tweak;

    public GatewayHost() { }

    protected GatewayHost(Action<Dictionary<string, string?>> tweak) => _tweak = tweak;

    public BridgeApp Bridge { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The app that <see cref="Http"/> talks to (the factory <see cref="Serve"/> returned): its services.</summary>
    public IServiceProvider Services { get; private set; } = null!;
    public string SpoolPath { get; private set; } = null!;
    public CallbackSimulator Simulator { get; } = new();

    public async Task InitializeAsync()
    {
        SpoolPath = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        var settings = BridgeApp.WithServers();
        settings["Bridge:Roles:0"] = "Gateway";
        settings["Gateway:Spool:Path"] = SpoolPath;
        settings["Gateway:MaxBodyBytes"] = MaxBodyBytes.ToString();
        settings[$"WeCom:Corps:{Corp}:CorpId"] = CorpId;
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:AgentId"] = WeCom.AgentId;
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:Token"] = WeCom.Token;
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:EncodingAesKey"] = WeCom.EncodingAesKey;
        settings[$"OfficialAccounts:Accounts:{PlainAccount}:AppId"] = Plain.AppId;
        settings[$"OfficialAccounts:Accounts:{PlainAccount}:Token"] = Plain.Token;
        settings[$"OfficialAccounts:Accounts:{SafeAccount}:AppId"] = Safe.AppId;
        settings[$"OfficialAccounts:Accounts:{SafeAccount}:Token"] = Safe.Token;
        settings[$"OfficialAccounts:Accounts:{SafeAccount}:EncodingAesKey"] = Safe.EncodingAesKey;
        _tweak?.Invoke(settings);
        Bridge = new BridgeApp(settings);
        // No redirect handler: it would buffer every request body and so give it a Content-Length.
        var served = Serve(Bridge);
        Http = served.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Services = served.Services;
        (await Http.GetAsync("/health/live")).EnsureSuccessStatusCode(); // started, and warm
    }

    /// <summary>The factory whose server the tests talk to; a fixture may add to the app's pipeline here.</summary>
    protected virtual WebApplicationFactory<Program> Serve(BridgeApp bridge) => bridge;

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Bridge is not null) await Bridge.DisposeAsync();
    }

    public Task<HttpResponseMessage> SendAsync(WecomBridge.Fakes.Callbacks.CallbackRequest request, string url) =>
        Http.SendAsync(request.ToHttpRequest(url));

    /// <summary>A valid add_external_contact callback for a unique customer id; the id is in its XML.</summary>
    public static string Added(string externalUserId, long? createTime = null) =>
        WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", externalUserId, "promo", "WELCOME", createTime: createTime);

    public Task<HttpResponseMessage> PostWeComAsync(string xml) => SendAsync(Simulator.BuildWeComPost(WeCom, xml), WeComUrl);

    public static string NewId(string prefix = "wm") => prefix + Guid.NewGuid().ToString("N");

    /// <summary>A hand-built POST: the query as given (null values left out) and a body of raw bytes.</summary>
    public static HttpRequestMessage RawPost(string url, IEnumerable<(string Name, string? Value)> query, string body) =>
        new(HttpMethod.Post, url + "?" + string.Join('&',
            query.Where(q => q.Value is not null).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}")))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("text/xml") } },
        };
}

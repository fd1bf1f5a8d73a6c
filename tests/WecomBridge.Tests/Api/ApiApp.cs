using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Fakes;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Api;

/// <summary>
/// The app (dispatcher role) pointed at a WeCom and an Official Account fake, with two API keys: "crm" may use
/// corp acme and account brand; "other" may use corp beta and account news only.
/// </summary>
public sealed class ApiApp : IAsyncDisposable
{
    public const string CrmKey = "test-key-crm-0123456789";
    public const string OtherKey = "test-key-other-0123456789";

    public ApiApp(FakeOptions? fakeOptions = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        WeCom = WeComFake.Start(fakeOptions);
        OfficialAccount = OfficialAccountFake.Start(fakeOptions);
        var all = new Dictionary<string, string?>
        {
            ["Bridge:Roles:0"] = "Dispatcher",
            ["WeCom:BaseUrl"] = WeCom.BaseUrl,
            ["WeCom:Corps:acme:CorpId"] = "wwfakecorp0000001",
            ["WeCom:Corps:acme:ContactSecret"] = "contact-secret",
            ["WeCom:Corps:beta:CorpId"] = "wwfakecorp0000002",
            ["WeCom:Corps:beta:ContactSecret"] = "beta-secret",
            ["OfficialAccounts:BaseUrl"] = OfficialAccount.BaseUrl,
            ["OfficialAccounts:Accounts:brand:AppId"] = "wxfakeofficialacc",
            ["OfficialAccounts:Accounts:brand:Secret"] = "oa-secret",
            ["OfficialAccounts:Accounts:brand:Token"] = "brandtoken",
            ["OfficialAccounts:Accounts:news:AppId"] = "wxfakeother00001",
            ["OfficialAccounts:Accounts:news:Secret"] = "news-secret",
            ["OfficialAccounts:Accounts:news:Token"] = "newstoken",
            ["SendApi:ApiKeys:0:Name"] = "crm",
            ["SendApi:ApiKeys:0:KeyHash"] = Hash(CrmKey),
            ["SendApi:ApiKeys:0:Corps:0"] = "acme",
            ["SendApi:ApiKeys:0:Accounts:0"] = "brand",
            ["SendApi:ApiKeys:1:Name"] = "other",
            ["SendApi:ApiKeys:1:KeyHash"] = Hash(OtherKey).ToUpperInvariant(),
            ["SendApi:ApiKeys:1:Corps:0"] = "beta",
            ["SendApi:ApiKeys:1:Accounts:0"] = "news",
            ["ApiClients:RetryBaseDelay"] = "00:00:00.010",
            ["ApiClients:RetryMaxDelay"] = "00:00:00.050",
            ["ApiClients:NotExternalContactDelay"] = "00:00:00.010",
            ["ApiClients:TokenKeyPrefix"] = $"test:token:{Guid.NewGuid():N}:",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        App = new BridgeApp(all);
        Factory = App.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IMessagePublisher>(Events)));
    }

    /// <summary>What the app published (instead of the bus).</summary>
    internal RecordingPublisher Events { get; } = new();
    public WebApplicationFactory<Program> Factory { get; }

    public WeComFake WeCom { get; }
    public OfficialAccountFake OfficialAccount { get; }
    public BridgeApp App { get; }

    public HttpClient Client(string? key = CrmKey)
    {
        var client = Factory.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await App.DisposeAsync();
        WeCom.Dispose();
        OfficialAccount.Dispose();
    }
}

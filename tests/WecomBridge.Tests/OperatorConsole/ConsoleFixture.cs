using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using StackExchange.Redis;
using WecomBridge.DeadLetters;
using WecomBridge.Fakes;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.OperatorConsole;

/// <summary>
/// Started once for the console's browser tests: the app as a real process on a loopback port (both roles, the real
/// RabbitMQ and Redis, WeCom and Official Account fakes; see <see cref="GatewayProcess"/>) and one headless Chromium
/// (the Debian package, which scripts/test.sh installs). The key "ops" may use corp acme, a corp of the fixture's own
/// (<see cref="Corp"/>), a corp whose name is markup (<see cref="HostileCorp"/>) and account brand. Dead letters live
/// under a key prefix of their own (the collector is off: tests store letters through <see cref="DeadLetters"/>).
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string Key = "console-ops-key-0123456789";
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Would open a dialog and make a bold element if it were ever taken as markup.</summary>
    public const string HostileCorp = "<script>alert(1)</script><b>bold</b>";

    private readonly string _prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _deadLetterPrefix = $"test:console:{Guid.NewGuid():N}:";
    private ConnectionMultiplexer? _redis;
    private GatewayProcess? _app;

    public string Corp { get; } = "cc" + Guid.NewGuid().ToString("N")[..8];
    public WeComFake WeCom { get; } = WeComFake.Start();
    public OfficialAccountFake OfficialAccount { get; } = OfficialAccountFake.Start();
    public string BaseUrl => _app!.BaseUrl;
    internal IDeadLetterStore DeadLetters { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: apt-get install -y chromium (scripts/test.sh installs it)");
        var settings = DispatcherApp.Settings(WeCom.BaseUrl, OfficialAccount.BaseUrl, _prefix);
        foreach (var (key, value) in BridgeApp.WithServers()) settings[key] = value;
        foreach (var (key, value) in new Dictionary<string, string?>
                 {
                     ["Bridge:Roles:1"] = "Gateway",
                     ["Enrichment:QueuePrefix"] = _prefix + ".enrich.",
                     ["Gateway:Spool:Path"] = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N")),
                     [$"WeCom:Corps:{Corp}:CorpId"] = "wwfakecorp0000001",
                     [$"WeCom:Corps:{Corp}:ContactSecret"] = "contact-secret",
                     [$"WeCom:Corps:{HostileCorp}:CorpId"] = "wwfakecorp0000002",
                     // Its own token cache: the fake's corp and secret are every test's, and a token another test
                     // cached in the shared Redis would spare the gettoken call the degraded-corp test refuses.
                     ["ApiClients:TokenKeyPrefix"] = $"wb:token:{_prefix}:",
                     ["DeadLetters:Enabled"] = "false",
                     ["DeadLetters:KeyPrefix"] = _deadLetterPrefix,
                     ["SendApi:ApiKeys:0:Name"] = "ops",
                     ["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key),
                     ["SendApi:ApiKeys:0:Corps:0"] = "acme",
                     ["SendApi:ApiKeys:0:Corps:1"] = Corp,
                     ["SendApi:ApiKeys:0:Corps:2"] = HostileCorp,
                     ["SendApi:ApiKeys:0:Accounts:0"] = "brand",
                 })
            settings[key] = value;
        _app = new GatewayProcess(settings);
        await _app.StartAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        DeadLetters = new RedisDeadLetterStore(_redis, Options.Create(new DeadLetterOptions { KeyPrefix = _deadLetterPrefix }));
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A client of the running app, with <paramref name="key"/> when given.</summary>
    public HttpClient Client(string? key = Key)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>A page of a fresh browser context (its own session storage) with the console open.</summary>
    public async Task<IPage> OpenAsync()
    {
        var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/console/");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _redis?.Dispose();
        WeCom.Dispose();
        OfficialAccount.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}

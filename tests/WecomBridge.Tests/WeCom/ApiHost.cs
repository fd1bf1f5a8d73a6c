using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WecomBridge.OfficialAccount;
using WecomBridge.Storage;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.WeCom;

/// <summary>
/// An app-like service provider with the app's own registration (AddStorage + AddApiClients) pointed at the fakes:
/// one per simulated instance. Delays are shortened so that tests never wait long; each test has its own token keys.
/// </summary>
public sealed class ApiHost : IDisposable
{
    public static readonly WeComCredential Contact = new("wwfakecorp0000001", "contact-secret");
    public static readonly WeComCredential App = new("wwfakecorp0000001", "app-secret", "1000002");
    public static readonly OfficialAccountCredential Account = new("wxfakeofficialacc", "oa-secret");

    private readonly IHost _host;

    private ApiHost(IHost host, CapturedLogs logs) => (_host, Logs) = (host, logs);

    public IServiceProvider Services => _host.Services;
    public CapturedLogs Logs { get; }
    internal WeComClient WeCom => Services.GetRequiredService<WeComClient>();
    internal OfficialAccountClient OfficialAccount => Services.GetRequiredService<OfficialAccountClient>();

    /// <summary>A new key prefix: hosts given the same one share tokens (like instances of one deployment).</summary>
    public static string NewPrefix() => $"test:token:{Guid.NewGuid():N}:";

    public static ApiHost Start(string? weComUrl = null, string? oaUrl = null, bool redis = false, string? prefix = null,
        TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        var config = new Dictionary<string, string?>
        {
            ["WeCom:BaseUrl"] = weComUrl ?? "http://127.0.0.1:9",
            ["OfficialAccounts:BaseUrl"] = oaUrl ?? "http://127.0.0.1:9",
            ["ConnectionStrings:Redis"] = redis ? TestServers.Redis : null,
            ["ApiClients:RetryBaseDelay"] = "00:00:00.010",
            ["ApiClients:RetryMaxDelay"] = "00:00:00.050",
            ["ApiClients:NotExternalContactDelay"] = "00:00:00.010",
            ["ApiClients:AttemptTimeout"] = "00:00:10",
            ["ApiClients:TokenKeyPrefix"] = prefix ?? NewPrefix(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;
        builder.Configuration.AddInMemoryCollection(config);
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        if (time is not null) builder.Services.AddSingleton(time);
        builder.AddStorage();
        builder.AddApiClients();
        services?.Invoke(builder.Services);
        return new ApiHost(builder.Build(), logs);
    }

    public void Dispose() => _host.Dispose();
}

using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Observability;

/// <summary>
/// Both roles on the real RabbitMQ and Redis against the fakes (corp acme, app crm, account brand; see
/// <see cref="DispatcherApp"/>), with the Prometheus endpoint on and gauges sampled every second.
/// </summary>
public static class MetricsApp
{
    public const string Key = "metrics-test-key";

    public static DispatcherApp Start(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bridge:Roles:0"] = "Dispatcher",
            ["Bridge:Roles:1"] = "Gateway",
            ["Gateway:Spool:Path"] = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N")),
            ["Telemetry:Prometheus:Enabled"] = "true",
            ["Telemetry:SampleInterval"] = "00:00:01",
            ["SendApi:ApiKeys:0:Name"] = "ops",
            ["SendApi:ApiKeys:0:KeyHash"] = Api.ApiApp.Hash(Key),
            ["SendApi:ApiKeys:0:Corps:0"] = "acme",
            ["SendApi:ApiKeys:0:Accounts:0"] = "brand",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return new DispatcherApp(settings, services: services);
    }
}

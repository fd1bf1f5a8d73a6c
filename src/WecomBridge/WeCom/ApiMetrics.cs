using System.Diagnostics.Metrics;
using WecomBridge.Hosting;

namespace WecomBridge.WeCom;

/// <summary>WeCom and Official Account calls by API path and outcome class, and access-token refreshes.</summary>
internal sealed class ApiMetrics
{
    private readonly Counter<long> _calls;
    private readonly Counter<long> _refreshes;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BridgeTelemetry.Name);
        _calls = meter.CreateCounter<long>("wecombridge.api.calls", description: "API calls (after retries) by path and outcome class");
        _refreshes = meter.CreateCounter<long>("wecombridge.api.token.refreshes",
            description: "Access tokens fetched from WeCom or the Official Account API");
    }

    public void Call(string path, ApiErrorClass outcome) =>
        _calls.Add(1, new KeyValuePair<string, object?>("api", path), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void TokenRefreshed(string path) => _refreshes.Add(1, new KeyValuePair<string, object?>("api", path));
}

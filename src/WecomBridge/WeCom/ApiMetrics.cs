using System.Diagnostics.Metrics;
using WecomBridge.Hosting;

namespace WecomBridge.WeCom;

/// <summary>WeCom and Official Account calls by API path and outcome class, and access-token refreshes and failures.</summary>
internal sealed class ApiMetrics
{
    private readonly Counter<long> _calls;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _tokenFailures;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BridgeTelemetry.Name);
        _calls = meter.CreateCounter<long>("wecombridge.api.calls", description: "API calls (after retries) by path and outcome class");
        _refreshes = meter.CreateCounter<long>("wecombridge.api.token.refreshes",
            description: "Access tokens fetched from WeCom or the Official Account API");
        _tokenFailures = meter.CreateCounter<long>("wecombridge.api.token.failures",
            description: "Token fetches that failed after retries, by API path, errcode class and errcode (or HTTP status)");
    }

    public void Call(string path, ApiErrorClass outcome) =>
        _calls.Add(1, new KeyValuePair<string, object?>("api", path), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void TokenRefreshed(string path) => _refreshes.Add(1, new KeyValuePair<string, object?>("api", path));

    public void TokenFailed(string path, ApiException e) => _tokenFailures.Add(1, new KeyValuePair<string, object?>("api", path),
        new("class", e.Class.ToString()), new("errcode", (e.ErrCode ?? e.HttpStatus)?.ToString() ?? ""));
}

using System.Diagnostics.Metrics;
using WecomBridge.Hosting;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Status;

namespace WecomBridge.Observability;

/// <summary>
/// The dispatcher's and the intake's instruments that the feature classes record through one-line calls: finished
/// sends, welcome latency, rate-limit permits, dedupe claims and publish latency. Labels are configuration names
/// (corp, app, account), kinds, outcomes and errcodes only: never a message, contact or event id (docs/metrics.md).
/// </summary>
internal sealed class BridgeMetrics
{
    private readonly Counter<long> _sends;
    private readonly Histogram<double> _sendDuration;
    private readonly Histogram<double> _welcome;
    private readonly Counter<long> _permits;
    private readonly Histogram<double> _permitWait;
    private readonly Counter<long> _dedupe;
    private readonly Histogram<double> _publish;

    public BridgeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BridgeTelemetry.Name);
        _sends = meter.CreateCounter<long>("wecombridge.sends", description: "Sends finished, by kind, corp or account, outcome and errcode");
        _sendDuration = meter.CreateHistogram<double>("wecombridge.send.duration", "s",
            "From a send's acceptance to its outcome, by kind and outcome");
        _welcome = meter.CreateHistogram<double>("wecombridge.welcome.duration", "s",
            "From the contact-added event (or the welcome request) to the welcome's outcome, by corp, app and outcome");
        _permits = meter.CreateCounter<long>("wecombridge.send.permits",
            description: "Rate-limit permits asked for by sends, by API, corp or account, and result (granted, refused: the send is deferred)");
        _permitWait = meter.CreateHistogram<double>("wecombridge.send.permit.wait", "s",
            "How long a granted send waited in place for its slot, by API");
        _dedupe = meter.CreateCounter<long>("wecombridge.callback.dedupe",
            description: "Dedupe claims of verified callbacks by result (claimed, duplicate, in_flight, unavailable)");
        _publish = meter.CreateHistogram<double>("wecombridge.publish.duration", "s",
            "A callback's publish to RabbitMQ until its confirm, by outcome (confirmed, timeout: spooled, failed)");
    }

    /// <summary>A send reached its outcome (stored): counted, and its latency recorded.</summary>
    public void Finished(SendStatus done)
    {
        var seconds = Math.Max(0, (done.UpdatedAt - done.AcceptedAt).TotalSeconds);
        _sends.Add(1, [new("kind", done.Kind), Owner(done), new("outcome", done.State), new("errcode", done.ErrCode?.ToString() ?? "")]);
        _sendDuration.Record(seconds, new KeyValuePair<string, object?>("kind", done.Kind), new("outcome", done.State));
        if (done.Kind == SendKinds.Welcome)
            _welcome.Record(seconds, new KeyValuePair<string, object?>("corp", done.Corp), new("app", done.App), new("outcome", done.State));
    }

    /// <summary>Counts a send's permit request and returns the grant unchanged (so the call site stays one expression).</summary>
    public RateGrant Permit(string api, string? corp, string? account, RateGrant grant)
    {
        KeyValuePair<string, object?> owner = account is not null ? new("account", account) : new("corp", corp);
        _permits.Add(1, new KeyValuePair<string, object?>("api", api), owner, new("result", grant.Granted ? "granted" : "refused"));
        if (grant.Granted) _permitWait.Record(grant.Wait.TotalSeconds, new KeyValuePair<string, object?>("api", api));
        return grant;
    }

    public void Dedupe(string result) => _dedupe.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Published(TimeSpan elapsed, string outcome) =>
        _publish.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    private static KeyValuePair<string, object?> Owner(SendStatus s) => s.Account is not null ? new("account", s.Account) : new("corp", s.Corp);
}

using System.Diagnostics.Metrics;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Hosting;
using WecomBridge.Observability.Health;

namespace WecomBridge.Callbacks;

/// <summary>Callback counts by source, family and outcome, intake latency, clock skew of stale callbacks, and the spool's depth.</summary>
internal sealed class GatewayMetrics
{
    private readonly Counter<long> _callbacks;
    private readonly Histogram<double> _intake;
    private readonly Histogram<double> _skew;
    private readonly CallbackSources? _sources;
    private readonly AccountHealthMarks? _marks;

    public GatewayMetrics(IMeterFactory meters, EventSpool spool, CallbackSources? sources = null, AccountHealthMarks? marks = null)
    {
        _sources = sources;
        _marks = marks;
        var meter = meters.Create(BridgeTelemetry.Name);
        _callbacks = meter.CreateCounter<long>("wecombridge.callbacks",
            description: "Callbacks by channel, corp and app (or account), event family and outcome");
        _intake = meter.CreateHistogram<double>("wecombridge.callback.intake.duration", "s", "From a verified callback to its answer");
        _skew = meter.CreateHistogram<double>("wecombridge.callback.clock_skew", "s",
            "Distance from this host's clock of correctly signed callbacks refused as outside Gateway:TimestampWindow");
        meter.CreateObservableGauge("wecombridge.spool.depth", () => spool.Depth, description: "Events waiting in the spool for the broker");
        meter.CreateObservableGauge("wecombridge.spool.quarantined", () => spool.Quarantined,
            description: "Events the broker refused for good, set aside in the spool's quarantine");
        meter.CreateObservableGauge("wecombridge.spool.bytes", () => spool.Bytes, "By",
            "Bytes the spool takes on disk (waiting and quarantined events), against Gateway:Spool:MaxBytes");
    }

    public void Callback(string channel, string outcome) => Callback(channel, outcome, null, null);

    /// <summary>
    /// A callback's outcome, labelled with its source's configured names (what the route said is looked up, so that
    /// labels stay bounded by configuration) and its event's family; accepted and refused ones mark the source as heard.
    /// </summary>
    public void Callback(string channel, string outcome, string? owner, string? app, object? message = null, int? refusedWith = null)
    {
        var (corp, account, configuredApp) = (null as string, null as string, null as string);
        if (channel == "oa" && owner is not null) account = _sources?.Account(owner)?.Account;
        else if (owner is not null && app is not null && _sources?.WeCom(owner, app) is { } source) (corp, configuredApp) = (source.Corp, source.App);
        _callbacks.Add(1, [new("channel", channel), new("corp", corp), new("app", configuredApp), new("account", account),
            new("family", Family(message)), new("outcome", outcome)]);
        if ((corp ?? account) is not { } known || outcome is nameof(IntakeOutcome.Unavailable) or "failed" or "abandoned") return;
        var refused = outcome == "refused";
        _marks?.Callback(channel, known, configuredApp, !refused,
            refused ? refusedWith == StatusCodes.Status403Forbidden ? "signature mismatch" : $"HTTP {refusedWith}" : null);
    }

    /// <summary>The contract namespace of the event (contacts, groupchats, tags, followers, …); "none" before one was parsed.</summary>
    private static string Family(object? message) =>
        message?.GetType().Namespace is { } ns ? ns[(ns.LastIndexOf('.') + 1)..].ToLowerInvariant() : "none";

    public void Stale(string channel, TimeSpan skew) =>
        _skew.Record(skew.Duration().TotalSeconds, new KeyValuePair<string, object?>("channel", channel));

    public void Intake(TimeSpan elapsed, string outcome) =>
        _intake.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
}

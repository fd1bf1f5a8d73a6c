using System.Diagnostics.Metrics;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Hosting;

namespace WecomBridge.Callbacks;

/// <summary>Callback counts by channel and outcome, intake latency, clock skew of stale callbacks, and the spool's depth.</summary>
internal sealed class GatewayMetrics
{
    private readonly Counter<long> _callbacks;
    private readonly Histogram<double> _intake;
    private readonly Histogram<double> _skew;

    public GatewayMetrics(IMeterFactory meters, EventSpool spool)
    {
        var meter = meters.Create(BridgeTelemetry.Name);
        _callbacks = meter.CreateCounter<long>("wecombridge.callbacks", description: "Callbacks by channel and outcome");
        _intake = meter.CreateHistogram<double>("wecombridge.callback.intake.duration", "s", "From a verified callback to its answer");
        _skew = meter.CreateHistogram<double>("wecombridge.callback.clock_skew", "s",
            "Distance from this host's clock of correctly signed callbacks refused as outside Gateway:TimestampWindow");
        meter.CreateObservableGauge("wecombridge.spool.depth", () => spool.Depth, description: "Events waiting in the spool for the broker");
        meter.CreateObservableGauge("wecombridge.spool.quarantined", () => spool.Quarantined,
            description: "Events the broker refused for good, set aside in the spool's quarantine");
        meter.CreateObservableGauge("wecombridge.spool.bytes", () => spool.Bytes, "By",
            "Bytes the spool takes on disk (waiting and quarantined events), against Gateway:Spool:MaxBytes");
    }

    public void Callback(string channel, string outcome) =>
        _callbacks.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));

    public void Stale(string channel, TimeSpan skew) =>
        _skew.Record(skew.Duration().TotalSeconds, new KeyValuePair<string, object?>("channel", channel));

    public void Intake(TimeSpan elapsed, string outcome) =>
        _intake.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
}

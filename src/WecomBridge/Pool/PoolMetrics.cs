using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WecomBridge.Hosting;
using WecomBridge.Observability;

namespace WecomBridge.Pool;

/// <summary>
/// The pool's instruments (docs/metrics.md, "Contact pool"): events projected by event and outcome, projection lag,
/// contacts by corp and stage (sampled), events of the outbox (stage changes, burst flags), the stage pass and erasures.
/// Labels are event names, outcomes, corps and stages only: never a contact. The stage gauge is read from the store
/// only when an exporter collects it, at most once per Telemetry:SampleInterval, and serves the last sample meanwhile.
/// </summary>
internal sealed partial class PoolMetrics
{
    public const string Applied = "applied", Duplicate = "duplicate", Ignored = "ignored";

    private readonly Counter<long> _events;
    private readonly Histogram<double> _lag;
    private readonly Counter<long> _outbox;
    private readonly Histogram<double> _stagePass;
    private readonly Counter<long> _erasures;
    private readonly IPoolStageCounts? _stages;
    private readonly TimeProvider _time;
    private readonly TimeSpan _sampleInterval;
    private readonly ILogger<PoolMetrics> _logger;
    private volatile Measurement<long>[] _contacts = [];
    private long _sampledAt = long.MinValue;
    private int _sampling;

    public PoolMetrics(IMeterFactory meters, IPoolStore store, TimeProvider time, IOptions<TelemetryOptions> telemetry, ILogger<PoolMetrics> logger)
    {
        (_stages, _time, _sampleInterval, _logger) = (store as IPoolStageCounts, time, telemetry.Value.SampleInterval, logger);
        var meter = meters.Create(BridgeTelemetry.Name);
        _events = meter.CreateCounter<long>("wecombridge.pool.events",
            description: "Events the pool consumed, by event and outcome (applied, duplicate: applied before, ignored: nothing the pool keeps)");
        _lag = meter.CreateHistogram<double>("wecombridge.pool.projection.lag", "s",
            "From an applied event's time (occurredAt, readAt) to its projection into the pool");
        _outbox = meter.CreateCounter<long>("wecombridge.pool.outbox",
            description: "Events the pool published from its outbox, by event (ContactStageChanged; ChannelBurstDetected: a burst flag raised)");
        _stagePass = meter.CreateHistogram<double>("wecombridge.pool.stage_pass.duration", "s",
            "One scheduled stage pass over every contact, by outcome (done, skipped: another instance ran it, failed)");
        _erasures = meter.CreateCounter<long>("wecombridge.pool.erasures",
            description: "Erasures by kind (contact, follower) and result (removed, none: the pool held nothing of the person)");
        meter.CreateObservableGauge("wecombridge.pool.contacts", Contacts,
            description: "Contacts in the pool by corp and lifecycle stage (sampled)");
        // Present from the start at 0, so that an alert on their increase has a series to read.
        foreach (var e in OutboxEvents) _outbox.Add(0, new KeyValuePair<string, object?>("event", e));
    }

    private static readonly string[] OutboxEvents = ["ContactStageChanged", "ChannelBurstDetected"];

    /// <summary>One consumed event: counted by outcome, and for an applied one the lag from its time.</summary>
    public void Projected(string @event, string outcome, DateTimeOffset? at)
    {
        _events.Add(1, new KeyValuePair<string, object?>("event", @event), new("outcome", outcome));
        if (outcome == Applied && at is { } time) _lag.Record(Math.Max(0, (_time.GetUtcNow() - time).TotalSeconds));
    }

    /// <summary>An outbox event published; <paramref name="type"/> as the outbox stores it (the record's full name).</summary>
    public void Published(string type) => _outbox.Add(1, new KeyValuePair<string, object?>("event", type[(type.LastIndexOf('.') + 1)..]));

    public void StagePass(TimeSpan elapsed, string outcome) =>
        _stagePass.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void Erased(string kind, bool removed) =>
        _erasures.Add(1, new KeyValuePair<string, object?>("kind", kind), new("result", removed ? "removed" : "none"));

    /// <summary>The last sample; starts the next one in the background when it is due (never waits for the database).</summary>
    private IEnumerable<Measurement<long>> Contacts()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _sampledAt);
        var due = last == long.MinValue || _time.GetElapsedTime(last, now) >= _sampleInterval;
        if (_stages is not null && due && Interlocked.Exchange(ref _sampling, 1) == 0) _ = SampleAsync(now);
        return _contacts;
    }

    private async Task SampleAsync(long startedAt)
    {
        try
        {
            var counts = await _stages!.CountStagesAsync();
            _contacts = [.. counts.Select(c =>
                new Measurement<long>(c.Contacts, new KeyValuePair<string, object?>("corp", c.Corp), new("stage", c.Stage)))];
        }
        catch (Exception e)
        {
            Log.SampleFailed(_logger, e.GetType().Name); // the gauge keeps the last sample
        }
        finally
        {
            Interlocked.Exchange(ref _sampledAt, startedAt);
            Volatile.Write(ref _sampling, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1860, LogLevel.Debug, "Pool stage counts could not be read ({Error}); the gauge keeps the last sample")]
        public static partial void SampleFailed(ILogger logger, string error);
    }
}

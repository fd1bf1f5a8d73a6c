using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WecomBridge.Hosting;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Observability;
using WecomBridge.WeCom;

namespace WecomBridge.Journeys.Views;

/// <summary>
/// The journeys' instruments (docs/metrics.md, "Journeys"): steps finished by corp, journey and outcome, the lag from a
/// step's due time to its outcome, and the steps due now (and the age of the oldest) per corp. Labels are corps,
/// journey ids (at most JourneyLimits.JourneysPerCorp per corp) and outcomes: never a contact or an enrolment. The due
/// gauges are read from the store only when an exporter collects them, at most once per Telemetry:SampleInterval, and
/// serve the last sample meanwhile; without a journey store (journeys not running) they have no series.
/// </summary>
internal sealed partial class JourneyMetrics
{
    private readonly Counter<long> _steps;
    private readonly Histogram<double> _lag;
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<WeComOptions> _wecom;
    private readonly TimeProvider _time;
    private readonly TimeSpan _sampleInterval;
    private readonly ILogger<JourneyMetrics> _logger;
    private volatile Measurement<long>[] _due = [];
    private volatile Measurement<double>[] _oldest = [];
    private long _sampledAt = long.MinValue;
    private int _sampling;

    public JourneyMetrics(IMeterFactory meters, IServiceProvider services, IOptionsMonitor<WeComOptions> wecom, TimeProvider time,
        IOptions<TelemetryOptions> telemetry, ILogger<JourneyMetrics> logger)
    {
        (_services, _wecom, _time, _sampleInterval, _logger) = (services, wecom, time, telemetry.Value.SampleInterval, logger);
        var meter = meters.Create(BridgeTelemetry.Name);
        _steps = meter.CreateCounter<long>("wecombridge.journey.steps",
            description: "Journey steps finished, by corp, journey and outcome (taken, skipped, failed)");
        _lag = meter.CreateHistogram<double>("wecombridge.journey.step.lag", "s",
            "From a step's due time to its outcome, by corp and outcome (quiet-hours deferrals included; steps after a wait left out)");
        meter.CreateObservableGauge("wecombridge.journey.steps.due", () => Sample(_due),
            description: "Journey steps due now that no runner holds, by corp (sampled)");
        meter.CreateObservableGauge("wecombridge.journey.steps.due.oldest", () => Sample(_oldest), "s",
            "How long the oldest of those steps has been due, by corp; 0 when none is (sampled)");
    }

    /// <summary>
    /// A step's outcome recorded by the runner: counted, and its lag from <paramref name="dueAt"/> unless the step came
    /// after a wait (its due time is then the wait's event, not a schedule).
    /// </summary>
    public void StepFinished(string corp, string journeyId, string outcome, DateTimeOffset dueAt, DateTimeOffset at, bool afterWait)
    {
        _steps.Add(1, new KeyValuePair<string, object?>("corp", corp), new("journey", journeyId), new("outcome", outcome));
        if (!afterWait)
            _lag.Record(Math.Max(0, (at - dueAt).TotalSeconds), new KeyValuePair<string, object?>("corp", corp), new("outcome", outcome));
    }

    /// <summary>The last sample; starts the next one in the background when it is due (never waits for the database).</summary>
    private IEnumerable<Measurement<T>> Sample<T>(Measurement<T>[] last) where T : struct
    {
        var now = _time.GetTimestamp();
        var previous = Interlocked.Read(ref _sampledAt);
        var due = previous == long.MinValue || _time.GetElapsedTime(previous, now) >= _sampleInterval;
        if (due && Interlocked.Exchange(ref _sampling, 1) == 0) _ = SampleAsync(now);
        return last;
    }

    private async Task SampleAsync(long startedAt)
    {
        try
        {
            if (_services.GetService<IJourneyStore>() is not IJourneyDueCounts store) return;
            var now = _time.GetUtcNow();
            var counts = (await store.CountDueAsync(now)).ToDictionary(c => c.Corp, StringComparer.OrdinalIgnoreCase);
            // Every configured corp has its series (0 when nothing is due), so that an alert has one to read.
            var corps = _wecom.CurrentValue.Corps.Keys.Union(counts.Keys, StringComparer.OrdinalIgnoreCase).ToArray();
            _due = [.. corps.Select(c => new Measurement<long>(counts.GetValueOrDefault(c)?.Steps ?? 0, Corp(c)))];
            _oldest = [.. corps.Select(c => new Measurement<double>(
                counts.GetValueOrDefault(c) is { } d ? Math.Max(0, (now - d.Oldest).TotalSeconds) : 0, Corp(c)))];
        }
        catch (Exception e)
        {
            Log.SampleFailed(_logger, e.GetType().Name); // the gauges keep the last sample
        }
        finally
        {
            Interlocked.Exchange(ref _sampledAt, startedAt);
            Volatile.Write(ref _sampling, 0);
        }
    }

    private static KeyValuePair<string, object?> Corp(string corp) => new("corp", corp);

    private static partial class Log
    {
        [LoggerMessage(1970, LogLevel.Debug, "Journey due counts could not be read ({Error}); the gauges keep the last sample")]
        public static partial void SampleFailed(ILogger logger, string error);
    }
}

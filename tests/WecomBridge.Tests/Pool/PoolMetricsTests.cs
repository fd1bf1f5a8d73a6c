using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Observability;
using WecomBridge.Pool;
using WecomBridge.Pool.Activity;
using WecomBridge.Tests.Infrastructure;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool;

/// <summary>
/// The pool's instruments read with a MeterListener on this test's own meter factory (no scrape, no other host's
/// instruments): outcomes, lag, the sampled stage gauge (read only when collected, at most once per interval).
/// </summary>
public sealed class PoolMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> _measured = [];

    public PoolMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i.Name, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i.Name, v, tags));
        _listener.Start();
    }

    private void Record(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_measured) _measured.Add((name, value, new Dictionary<string, object?>(tags.ToArray())));
    }

    private List<(string Name, double Value, Dictionary<string, object?> Tags)> Measured(string name)
    {
        lock (_measured) return _measured.Where(m => m.Name == name).ToList();
    }

    [Fact]
    public async Task Outcomes_lag_stage_counts_outbox_stage_pass_and_erasures_are_recorded_without_any_contact_id()
    {
        var clock = new FakeTimeProvider(T0.AddMinutes(5));
        var rules = new ActivityRules(Options.Create(new StageOptions()), Options.Create(new BurstGuardOptions()), clock);
        var store = new InMemoryPoolStore(rules);
        var metrics = new PoolMetrics(_services.GetRequiredService<IMeterFactory>(), store, clock,
            Options.Create(new TelemetryOptions { SampleInterval = TimeSpan.FromSeconds(15) }), NullLogger<PoolMetrics>.Instance);
        var projection = new PoolProjection(Options.Create(new PoolOptions()));
        foreach (var (ext, at) in new[] { ("wmA", 0), ("wmB", 1) })
        {
            var added = Added(ext, "zhangsan", at);
            await store.ApplyAsync(added.EventId, projection.Map(added)!);
        }

        metrics.Projected("ExternalContactAdded", PoolMetrics.Applied, T0);
        metrics.Projected("ExternalContactAdded", PoolMetrics.Duplicate, T0);
        metrics.Projected("GroupChatUpdated", PoolMetrics.Ignored, null);
        metrics.Published("WecomBridge.Contracts.Pool.ChannelBurstDetected");
        metrics.StagePass(TimeSpan.FromMilliseconds(30), "done");
        metrics.Erased(PoolSubject.ContactKind, removed: true);

        Assert.Equal(3, Measured("wecombridge.pool.events").Count);
        Assert.Equal(300, Assert.Single(Measured("wecombridge.pool.projection.lag")).Value); // 5 minutes, applied only
        Assert.Contains(Measured("wecombridge.pool.outbox"), m => (string?)m.Tags["event"] == "ChannelBurstDetected" && m.Value == 1);
        Assert.Equal("done", Assert.Single(Measured("wecombridge.pool.stage_pass.duration")).Tags["outcome"]);
        Assert.Equal("removed", Assert.Single(Measured("wecombridge.pool.erasures")).Tags["result"]);

        _listener.RecordObservableInstruments(); // the first collection starts a sample (memory answers at once)
        await Eventually.True(() =>
        {
            lock (_measured) _measured.RemoveAll(m => m.Name == "wecombridge.pool.contacts");
            _listener.RecordObservableInstruments();
            return Measured("wecombridge.pool.contacts").Count > 0;
        }, what: "the stage gauge sampled");
        var stages = Measured("wecombridge.pool.contacts");
        Assert.Equal(2, Assert.Single(stages).Value);
        Assert.Equal(new[] { "corp", "stage" }, stages[0].Tags.Keys.Order());
        Assert.Equal((Corp, "new"), ((string?)stages[0].Tags["corp"], (string?)stages[0].Tags["stage"]));
        lock (_measured)
            Assert.DoesNotContain(_measured.SelectMany(m => m.Tags.Values), v => v is string s && s.StartsWith("wm", StringComparison.Ordinal));

        var third = Added("wmC", "zhangsan", 2);
        await store.ApplyAsync(third.EventId, projection.Map(third)!);
        _listener.RecordObservableInstruments();
        Assert.Equal(2, Measured("wecombridge.pool.contacts").Last().Value); // within the interval: the last sample
        clock.Advance(TimeSpan.FromSeconds(15));
        await Eventually.True(() =>
        {
            _listener.RecordObservableInstruments();
            return Measured("wecombridge.pool.contacts").Last().Value == 3;
        }, what: "a new sample after the interval");
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Journeys.Views;
using WecomBridge.Observability;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.Journeys.Views;

/// <summary>
/// The journeys' instruments read with a MeterListener on this test's own meter factory: outcomes and lag as a real
/// runner records them (PostgreSQL), the due gauges sampled from the store (read when collected), no contact in any label.
/// </summary>
public sealed class JourneyMetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = JourneyRig.T0;
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> _measured = [];

    public JourneyMetricsTests()
    {
        var factory = _meters.GetRequiredService<IMeterFactory>();
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

    private JourneyMetrics Metrics(IServiceProvider services, TimeProvider time) => new(_meters.GetRequiredService<IMeterFactory>(), services,
        new StaticMonitor<WeComOptions>(new WeComOptions { Corps = { ["acme"] = new CorpOptions(), ["beta"] = new CorpOptions() } }), time,
        Options.Create(new TelemetryOptions { SampleInterval = TimeSpan.FromSeconds(15) }), NullLogger<JourneyMetrics>.Instance);

    [Fact]
    public async Task A_runner_counts_its_steps_by_corp_journey_and_outcome_with_their_lag()
    {
        await using var rig = await JourneyRig.CreateAsync();
        var metrics = Metrics(new ServiceCollection().BuildServiceProvider(), rig.Time);
        var journey = await rig.SaveAsync("welcome", [JourneyRig.Task("hello", TimeSpan.Zero),
            JourneyRig.Task("nudge", TimeSpan.Zero, new JourneyCondition(null, InteractedSinceEnrolment: true))]);
        await rig.AddContactAsync("wm1");
        await rig.EnrolAsync(journey, "wm1");
        rig.Time.Advance(TimeSpan.FromSeconds(30));

        await JourneyRunners.DrainAsync(rig.Runner(metrics));

        var steps = Measured("wecombridge.journey.steps");
        Assert.Equal(["skipped", "taken"], steps.Select(s => (string)s.Tags["outcome"]!).Order());
        Assert.All(steps, s => Assert.Equal(("acme", "welcome"), ((string?)s.Tags["corp"], (string?)s.Tags["journey"])));
        Assert.All(Measured("wecombridge.journey.step.lag"), l => Assert.Equal(30, l.Value));
        Assert.Equal(2, Measured("wecombridge.journey.step.lag").Count);
        lock (_measured)
            Assert.DoesNotContain(_measured.SelectMany(m => m.Tags.Values), v => v is string s && s.StartsWith("wm", StringComparison.Ordinal));
    }

    [Fact]
    public void A_step_after_a_wait_is_counted_without_a_lag()
    {
        var metrics = Metrics(new ServiceCollection().BuildServiceProvider(), new FakeTimeProvider(T0));

        metrics.StepFinished("acme", "welcome", StepOutcomes.Taken, T0, T0.AddDays(2), afterWait: true);

        Assert.Single(Measured("wecombridge.journey.steps"));
        Assert.Empty(Measured("wecombridge.journey.step.lag"));
    }

    [Fact]
    public async Task The_due_gauges_are_sampled_from_the_store_when_collected_with_a_zero_for_each_corp()
    {
        var clock = new FakeTimeProvider(T0);
        var store = new InMemoryJourneyStore();
        foreach (var (ext, minutes) in new[] { ("wmA", -10), ("wmB", -1), ("wmC", 60) })
            await store.EnrolAsync(new Enrolment(Guid.CreateVersion7(), "acme", "welcome", 1, ext, "zhangsan", "t:" + ext, T0),
                JourneyTriggerKinds.EnrolCall, new NextStep(0, "s0", T0.AddMinutes(minutes)));
        var metrics = Metrics(new ServiceCollection().AddSingleton<IJourneyStore>(store).BuildServiceProvider(), clock);

        _listener.RecordObservableInstruments(); // the first collection starts a sample
        await Eventually.True(() =>
        {
            lock (_measured) _measured.RemoveAll(m => m.Name.StartsWith("wecombridge.journey.steps.due", StringComparison.Ordinal));
            _listener.RecordObservableInstruments();
            return Measured("wecombridge.journey.steps.due").Count > 0;
        }, what: "the due gauges sampled");

        var due = Measured("wecombridge.journey.steps.due").ToDictionary(m => (string)m.Tags["corp"]!, m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["acme"] = 2, ["beta"] = 0 }, due);
        var oldest = Measured("wecombridge.journey.steps.due.oldest").ToDictionary(m => (string)m.Tags["corp"]!, m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["acme"] = 600, ["beta"] = 0 }, oldest);
        Assert.NotNull(metrics);
    }

    [Fact]
    public async Task Without_a_journey_store_the_due_gauges_have_no_series()
    {
        Metrics(new ServiceCollection().BuildServiceProvider(), new FakeTimeProvider(T0));

        _listener.RecordObservableInstruments();
        await Task.Yield();
        _listener.RecordObservableInstruments();

        Assert.Empty(Measured("wecombridge.journey.steps.due"));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }
}

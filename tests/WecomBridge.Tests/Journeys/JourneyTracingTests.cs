using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Sending;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Messaging;
using WecomBridge.Observability.Tracing;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Observability.Tracing;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// One contact's trace from the pool event to the journey step's send (embedded mode): the enrolment keeps the event's
/// `traceparent`, the runner takes the step in a `journey step` activity under it, and the send command it publishes
/// carries that trace (what the publisher writes as the command's `traceparent`).
/// </summary>
public sealed class JourneyTracingTests : IAsyncDisposable
{
    private readonly ApiApp _app = new(settings: new Dictionary<string, string?>
    {
        ["Journeys:RunnerEnabled"] = "false",
        ["Dispatch:Defaults:QuietHours:Enabled"] = "false",
    });
    private readonly WebApplicationFactory<Program> _factory;
    private readonly TracePublisher _published = new();

    public JourneyTracingTests() =>
        _factory = _app.Factory.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddSingleton<IMessagePublisher>(_published)));

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Each publish with the trace id the app's publisher would write as its `traceparent` (null: none).</summary>
    private sealed class TracePublisher : IMessagePublisher
    {
        public ConcurrentQueue<(Type Type, string? TraceId)> All { get; } = new();

        public Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            All.Enqueue((type, TraceTap.TraceIdOf(TraceContext.Current())));
            return Task.CompletedTask;
        }
    }

    private async Task JourneyAsync()
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApp.CrmKey);
        var response = await client.PostAsync("/api/v1/journeys/acme", new StringContent("""
            { "id": "welcome", "name": "welcome", "trigger": { "kind": "contactAdded" },
              "steps": [ { "id": "hello", "delay": "PT0S", "action": { "kind": "customerTask", "text": "Welcome!" } } ] }
            """, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The pool event as the gateway publishes it: its callback's context in `traceparent` and `MT-Activity-Id`.</summary>
    private Task PublishAsync(object message, string? traceParent) => _factory.Services.GetRequiredService<IBus>().Publish(message, message.GetType(),
        context =>
        {
            if (traceParent is null) return;
            context.Headers.Set(TraceContext.TraceParent, traceParent);
            context.Headers.Set(TraceContext.MassTransitActivityId, traceParent);
        });

    private async Task<Enrolment> EnrolledAsync(string ext) => (await Eventually.Get(
        () => _factory.Services.GetRequiredService<IJourneyStore>().HistoryAsync("acme", ext, 10), h => h.Count == 1, what: "enrolled"))[0].Enrolment;

    private async Task<EnrolmentHistory> StepTakenAsync(string ext)
    {
        var runner = _factory.Services.GetRequiredService<JourneyRunner>();
        Assert.Null(Activity.Current); // the runner's own context: none, as in its background loop
        while (await runner.RunOnceAsync(CancellationToken.None) > 0) { }
        var history = Assert.Single(await _factory.Services.GetRequiredService<IJourneyStore>().HistoryAsync("acme", ext, 10));
        Assert.Equal(StepOutcomes.Taken, Assert.Single(history.Steps).Outcome);
        return history;
    }

    [Fact]
    public async Task The_send_of_a_step_is_in_the_trace_of_the_event_that_enrolled_the_contact()
    {
        await JourneyAsync();
        var ext = "wm" + Guid.NewGuid().ToString("N")[..10];
        var (traceParent, traceId) = TraceTap.NewTraceParent();
        using var capture = new ActivityCapture(traceId);

        await PublishAsync(PoolEvents.Added(ext, "zhangsan", 0), traceParent);
        var enrolment = await EnrolledAsync(ext);
        Assert.Equal(traceId, TraceTap.TraceIdOf(enrolment.TraceParent));
        var history = await StepTakenAsync(ext);

        var sends = _published.All.Where(p => p.Type == typeof(SendRequested)).ToArray();
        Assert.Equal(traceId, Assert.Single(sends).TraceId);
        Assert.Contains("WecomBridge: journey step", capture.Names);
        Assert.Contains("WecomBridge: pool apply", capture.Names);
        Assert.NotNull(history.Steps[0].MessageId);
    }

    [Fact]
    public async Task An_event_without_or_with_a_malformed_traceparent_enrols_and_its_step_sends_outside_that_trace()
    {
        await JourneyAsync();
        foreach (var traceParent in new[] { null, "00-not-a-trace-01", "00-" + new string('0', 32) + "-" + new string('0', 16) + "-01",
                     "00-" + new string('a', 32) + "-" + new string('b', 16) + "-01" + new string('x', 5000) })
        {
            var ext = "wm" + Guid.NewGuid().ToString("N")[..10];
            await PublishAsync(PoolEvents.Added(ext, "zhangsan", 0), traceParent);
            Assert.Null((await EnrolledAsync(ext)).TraceParent);
            await StepTakenAsync(ext);
        }
        Assert.Equal(4, _published.All.Count(p => p.Type == typeof(SendRequested)));
        Assert.All(_published.All.Where(p => p.Type == typeof(SendRequested)), p => Assert.Null(p.TraceId));
    }
}

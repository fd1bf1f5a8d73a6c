using System.Collections.Concurrent;
using System.Diagnostics;

namespace WecomBridge.Tests.Observability.Tracing;

/// <summary>
/// Records the app's and MassTransit's activities of one trace, as an exporter would. The test process is shared by
/// parallel tests, so the listener samples only the test's own trace id: every other activity is not even created.
/// </summary>
public sealed class ActivityCapture : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public ActivityCapture(string traceId)
    {
        TraceId = traceId;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "WecomBridge" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
                o.TraceId.ToHexString() == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = a => { if (a.TraceId.ToHexString() == traceId) _stopped.Enqueue(a); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public string TraceId { get; }

    /// <summary>Activities of the trace that have ended, as "source: name".</summary>
    public IReadOnlyList<string> Names => _stopped.Select(a => $"{a.Source.Name}: {a.OperationName}").ToArray();

    public void Dispose() => _listener.Dispose();
}

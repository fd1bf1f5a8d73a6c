using System.Diagnostics;
using System.Text;
using WecomBridge.Hosting;

namespace WecomBridge.Observability.Tracing;

/// <summary>
/// W3C trace context on the app's messages (docs/tracing.md). A publish carries the current activity's context as
/// `traceparent` (and `tracestate`) for CRMs and any OpenTelemetry-aware consumer, and as `MT-Activity-Id`, the header
/// MassTransit 8 reads to parent its receive activity. A consumer or the spool's forwarder continues from a message's
/// context (<see cref="Continue"/>): as the app's recorded activity when a listener samples it (an exporter is
/// configured), else as a bare activity that nobody records and that only carries the ids on, to the next publish and
/// to outgoing HTTP calls (HttpClient writes `traceparent` from Activity.Current by itself).
/// </summary>
internal static class TraceContext
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string MassTransitActivityId = "MT-Activity-Id";

    /// <summary>`00-{32 hex}-{16 hex}-{2 hex}`: the only version-00 length; anything else is not taken.</summary>
    private const int TraceParentLength = 55;

    /// <summary>The W3C limit of tracestate (32 members of at most 256 characters is the bound; 512 is what we carry).</summary>
    private const int MaxTraceState = 512;

    /// <summary>The current activity's W3C id, or null when there is none (or it is not in W3C format).</summary>
    public static string? Current() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Adds the current context to a message's headers; returns the headers (created when needed), unchanged without one.</summary>
    public static IDictionary<string, object?>? Inject(IDictionary<string, object?>? headers)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } current) return headers;
        headers ??= new Dictionary<string, object?>(3, StringComparer.Ordinal);
        headers[TraceParent] = current.Id;
        headers[MassTransitActivityId] = current.Id;
        if (current.TraceStateString is { Length: > 0 and <= MaxTraceState } state) headers[TraceState] = state;
        return headers;
    }

    /// <summary>
    /// A header's context (a string, or the bytes AMQP delivers); default when absent, malformed or oversized, so that a
    /// hostile header changes nothing but the trace a message joins.
    /// </summary>
    public static ActivityContext Parse(object? traceParent, object? traceState = null)
    {
        if (Text(traceParent, TraceParentLength) is not { Length: TraceParentLength } parent) return default;
        var state = Text(traceState, MaxTraceState);
        return ActivityContext.TryParse(parent, state, isRemote: true, out var context) ? context : default;
    }

    /// <summary>
    /// Starts an activity under <paramref name="parent"/> (null when it is default): the app's own when a listener samples
    /// it, else a bare one that carries the ids only. Dispose it when the work under it is done.
    /// </summary>
    public static Activity? Continue(string name, ActivityKind kind, ActivityContext parent)
    {
        if (parent == default) return null;
        if (BridgeTelemetry.Source.StartActivity(name, kind, parent) is { } recorded) return recorded;
        var bare = new Activity(name);
        bare.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        bare.TraceStateString = parent.TraceState;
        return bare.Start();
    }

    private static string? Text(object? value, int max) => value switch
    {
        string s when s.Length <= max => s,
        byte[] b when b.Length <= max => Encoding.ASCII.GetString(b),
        _ => null,
    };
}

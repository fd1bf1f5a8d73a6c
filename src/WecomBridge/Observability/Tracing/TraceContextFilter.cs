using System.Diagnostics;
using MassTransit;

namespace WecomBridge.Observability.Tracing;

/// <summary>
/// Every consumer runs under its message's trace context. MassTransit parents its own receive activity on
/// `MT-Activity-Id`, but only while its ActivitySource has a listener (an exporter is configured); otherwise, or when
/// the message came from a client that wrote only `traceparent`, this filter continues the message's context
/// (<see cref="TraceContext.Continue"/>) so that the consumer's HTTP calls and publishes carry it on. A message without
/// a valid `traceparent` passes through untouched.
/// </summary>
internal sealed class TraceContextFilter : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var headers = context.ReceiveContext.TransportHeaders;
        if (!headers.TryGetHeader(TraceContext.TraceParent, out var traceParent)) return next.Send(context);
        var parent = TraceContext.Parse(traceParent, headers.TryGetHeader(TraceContext.TraceState, out var state) ? state : null);
        if (parent == default || Activity.Current?.TraceId == parent.TraceId) return next.Send(context);
        return SendUnderAsync(parent, context, next);
    }

    private static async Task SendUnderAsync(ActivityContext parent, ConsumeContext context, IPipe<ConsumeContext> next)
    {
        using var activity = TraceContext.Continue("consume", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.destination.name", context.ReceiveContext.InputAddress?.AbsolutePath.TrimStart('/'));
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("traceContext");
}

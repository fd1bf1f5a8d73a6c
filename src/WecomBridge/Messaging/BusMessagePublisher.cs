using System.Text.Json;
using MassTransit;

namespace WecomBridge.Messaging;

/// <summary>Embedded mode: events and commands go through MassTransit's in-memory bus to in-process consumers.</summary>
internal sealed class BusMessagePublisher(IBus bus) : IMessagePublisher
{
    public Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Deserialize(body.Span, type, EventJson.Options)!;
        return bus.Publish(message, type, context =>
        {
            if (Guid.TryParseExact(eventId, "N", out var id)) context.MessageId = id;
            if (Observability.Tracing.TraceContext.Current() is { } traceParent)
            {
                context.Headers.Set(Observability.Tracing.TraceContext.TraceParent, traceParent);
                context.Headers.Set(Observability.Tracing.TraceContext.MassTransitActivityId, traceParent);
            }
        }, cancellationToken);
    }
}

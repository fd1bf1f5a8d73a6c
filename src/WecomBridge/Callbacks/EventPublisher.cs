using System.Text.Json;
using MassTransit;

namespace WecomBridge.Callbacks;

/// <summary>
/// Publishes a normalized event and returns once the broker confirmed it (MassTransit's RabbitMQ
/// transport waits for the publisher confirm). The AMQP message_id is the deterministic event id, the
/// type property the record's name, so that any consumer can route and dedupe without MassTransit.
/// </summary>
internal sealed class EventPublisher(IBus bus)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task PublishAsync(object message, string eventId, CancellationToken cancellationToken)
    {
        var type = message.GetType();
        return bus.Publish(message, type, context =>
        {
            if (Guid.TryParseExact(eventId, "N", out var id)) context.MessageId = id;
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.BasicProperties.Type = type.Name;
        }, cancellationToken);
    }

    public static byte[] Serialize(object message) => JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), Json);

    /// <summary>Restores a spooled event; the type must be one of WecomBridge.Contracts' records.</summary>
    public static object Deserialize(string typeName, byte[] body)
    {
        var type = typeName.StartsWith("WecomBridge.Contracts.", StringComparison.Ordinal)
            ? Type.GetType(typeName + ", WecomBridge.Contracts", throwOnError: false)
            : null;
        return JsonSerializer.Deserialize(body, type ?? throw new InvalidOperationException($"Spooled event of unknown type {typeName}"), Json)!;
    }
}

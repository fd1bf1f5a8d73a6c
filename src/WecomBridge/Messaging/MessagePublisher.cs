using System.Text.Json;

namespace WecomBridge.Messaging;

/// <summary>
/// Publishes one of the app's messages (its raw JSON) to the exchange of its record type and completes once the
/// broker confirmed it: the normalized events of the gateway, enrichment and resync, and the send API's commands
/// (whose exchanges carry the deployment's prefix, <see cref="BridgeEntityNameFormatter"/>). RabbitMQ in production
/// (<see cref="RabbitMqMessagePublisher"/>), MassTransit's in-memory bus in embedded mode (<see cref="BusMessagePublisher"/>).
/// </summary>
internal interface IMessagePublisher
{
    Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>The JSON of events on the wire and in the spool: System.Text.Json web defaults.</summary>
internal static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize(object message) => JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), Options);

    /// <summary>A record type of WecomBridge.Contracts by its full name (as the spool stores it).</summary>
    public static Type ContractType(string fullName) =>
        (fullName.StartsWith("WecomBridge.Contracts.", StringComparison.Ordinal)
            ? Type.GetType(fullName + ", WecomBridge.Contracts", throwOnError: false)
            : null) ?? throw new InvalidOperationException($"Not an event contract: {fullName}");
}

using System.Security.Cryptography;
using System.Text.Json;
using WecomBridge.Messaging;

namespace WecomBridge.DeadLetters;

/// <summary>
/// A message a consumer gave up on, as collected from its `{queue}_error` queue: the original AMQP properties and
/// headers (the fault headers taken out into their own fields, the stack trace dropped) and the body as it was, so that
/// a replay publishes exactly what the consumer first got. Kept unmasked (as the broker kept it); shown masked.
/// </summary>
internal sealed record DeadLetter(
    string Id,
    string Queue,
    string? MessageType,
    string? MessageId,
    string? CorrelationId,
    string? ContentType,
    string? FaultType,
    string? FaultMessage,
    string? ConsumerType,
    DateTimeOffset FaultedAt,
    DateTimeOffset CollectedAt,
    Dictionary<string, JsonElement> Headers,
    byte[] Body)
{
    public const string ErrorSuffix = "_error";

    public string ErrorQueue => Queue + ErrorSuffix;

    /// <summary>
    /// The same message collected twice (a collector that died between storing and acking it) gets the same id: the
    /// error queue, its message id, its fault time and its body's hash name it.
    /// </summary>
    public static string StableId(string errorQueue, string? messageId, string? faultTimestamp, ReadOnlySpan<byte> body) =>
        EventIds.Of($"dead-letter\n{errorQueue}\n{messageId}\n{faultTimestamp}\n{Convert.ToHexStringLower(SHA256.HashData(body))}");

    /// <summary>An id as the API takes it: 32 lowercase hex characters (what <see cref="StableId"/> gives).</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 32 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}

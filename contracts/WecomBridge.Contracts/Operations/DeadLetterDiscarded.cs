namespace WecomBridge.Contracts.Operations;

/// <summary>
/// An operator discarded a dead letter (DELETE /api/v1/dead-letters/{id}): it is gone for good, never delivered
/// again. Ids only: never the message's body or fault text. Actor is the name of the
/// API key that asked (SendApi:ApiKeys:n:Name). EventId derives from the dead letter's id and the action.
/// </summary>
public sealed record DeadLetterDiscarded(
    string EventId,
    string DeadLetterId,
    string Queue,
    string? MessageType,
    string? MessageId,
    string Actor,
    DateTimeOffset OccurredAt);

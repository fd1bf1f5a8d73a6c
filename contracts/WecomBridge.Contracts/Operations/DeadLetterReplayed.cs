namespace WecomBridge.Contracts.Operations;

/// <summary>
/// An operator replayed a dead letter (POST /api/v1/dead-letters/{id}/replay): the message went back to the queue it
/// faulted on, once the broker confirmed it. Ids only: never the message's body or fault text. Actor is the name of the
/// API key that asked (SendApi:ApiKeys:n:Name). EventId derives from the dead letter's id and the action.
/// </summary>
public sealed record DeadLetterReplayed(
    string EventId,
    string DeadLetterId,
    string Queue,
    string? MessageType,
    string? MessageId,
    string Actor,
    DateTimeOffset OccurredAt);

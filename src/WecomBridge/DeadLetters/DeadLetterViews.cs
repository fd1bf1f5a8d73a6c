using System.Text.Json.Nodes;

namespace WecomBridge.DeadLetters;

/// <summary>What the API shows of dead letters: personal data masked (<see cref="PersonalDataMask"/>), ids and types kept.</summary>
internal sealed record DeadLetterView(
    string Id, string Queue, string ErrorQueue, string? MessageType, string? MessageId, FaultView Fault,
    DateTimeOffset FaultedAt, DateTimeOffset CollectedAt, int Bytes, JsonNode? Body, bool BodyShown)
{
    public static DeadLetterView Of(DeadLetter letter, PersonalDataMask mask)
    {
        var body = mask.Body(letter.Body);
        return new DeadLetterView(letter.Id, letter.Queue, letter.ErrorQueue, letter.MessageType, letter.MessageId,
            new FaultView(letter.FaultType, mask.Fault(letter.FaultMessage, letter.Body), letter.ConsumerType),
            letter.FaultedAt, letter.CollectedAt, letter.Body.Length, body, body is not null);
    }
}

internal sealed record FaultView(string? ExceptionType, string? Message, string? ConsumerType);

internal sealed record DeadLetterQueueView(string Queue, string ErrorQueue, long Count, long? WaitingOnBroker);

internal sealed record DeadLetterOverview(IReadOnlyList<DeadLetterQueueView> Queues, long Count, long Bytes, int MaxMessages, long MaxBytes);

internal sealed record DeadLetterPage(string Queue, IReadOnlyList<DeadLetterView> Items, long? Next);

internal sealed record ReplayAllResult(string Queue, int Replayed, int Busy, int Failed, long Remaining);

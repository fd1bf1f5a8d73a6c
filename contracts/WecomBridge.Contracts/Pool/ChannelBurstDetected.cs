namespace WecomBridge.Contracts.Pool;

/// <summary>
/// Adds through one channel (the contact way's State) of a corp went above the burst guard's limit per minute. One
/// event per burst: minutes over the limit that follow one another are one burst, started at StartedAt (the first
/// such minute). Adds is the count of that minute when it went over Limit; OccurredAt the time of the add that did.
/// The contacts added through the channel during the burst have burstFlaggedAt = StartedAt in the pool.
/// </summary>
public sealed record ChannelBurstDetected(
    string EventId,
    string Corp,
    string State,
    DateTimeOffset StartedAt,
    int Adds,
    int Limit,
    DateTimeOffset OccurredAt);

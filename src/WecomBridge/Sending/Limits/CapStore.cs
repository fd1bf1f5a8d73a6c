namespace WecomBridge.Sending.Limits;

/// <summary>
/// Per-recipient customer caps, shared by all instances: each recipient's period holds the message ids that
/// counted against it, so taking again for the same message (a redelivery) counts once. Take before a send, give
/// back when the send certainly failed. Redis (atomic Lua) or in memory.
/// </summary>
internal interface ICapStore
{
    /// <summary>
    /// Counts <paramref name="messageId"/> for each recipient under <paramref name="limit"/>; returns the recipients that
    /// were over it.
    /// </summary>
    Task<IReadOnlyList<string>> TakeAsync(string corp, string period, int limit, DateTimeOffset periodEnds, string messageId,
        IReadOnlyList<string> recipients);

    Task GiveBackAsync(string corp, string period, string messageId, IReadOnlyList<string> recipients);
}

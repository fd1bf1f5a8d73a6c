namespace WecomBridge.Dispatch;

/// <summary>
/// Per-recipient counters of the customer cap, shared by all instances: take one before a send, give it
/// back when the send certainly failed. Redis (atomic Lua) or in memory.
/// </summary>
internal interface ICapStore
{
    /// <summary>True and counted when the recipient is under <paramref name="limit"/> in this period; false otherwise.</summary>
    Task<bool> TryTakeAsync(string corp, string recipient, string period, int limit, DateTimeOffset periodEnds);

    Task GiveBackAsync(string corp, string recipient, string period);
}

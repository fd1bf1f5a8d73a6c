namespace WecomBridge.DeadLetters;

/// <summary>
/// Where collected dead letters wait for an operator: Redis (<see cref="RedisDeadLetterStore"/>), shared by every
/// instance, or memory in the embedded mode (<see cref="InMemoryDeadLetterStore"/>). Bounded in count and bytes
/// (DeadLetters:MaxMessages, MaxBytes): a full store refuses, and the collector leaves the message on the broker.
/// Each dead letter has a sequence number in its queue's list, the cursor of its pages.
/// </summary>
internal interface IDeadLetterStore
{
    Task<StoreResult> AddAsync(DeadLetter letter);

    /// <summary>Queues with dead letters, by name, with their counts.</summary>
    Task<IReadOnlyList<(string Queue, long Count)>> QueuesAsync();

    /// <summary>Up to <paramref name="limit"/> dead letters of <paramref name="queue"/> after sequence <paramref name="after"/>,
    /// oldest first.</summary>
    Task<IReadOnlyList<(long Seq, DeadLetter Letter)>> ListAsync(string queue, long after, int limit);

    Task<DeadLetter?> GetAsync(string id);

    /// <summary>Holds the dead letter for one action; false when another action holds it.</summary>
    Task<bool> TryLeaseAsync(string id, string owner, TimeSpan lease);

    Task ReleaseAsync(string id, string owner);

    /// <summary>Removes it; false when it was not there (any more).</summary>
    Task<bool> DeleteAsync(string id);

    Task<(long Count, long Bytes)> SizeAsync();
}

internal enum StoreResult { Added, Duplicate, Full }

namespace WecomBridge.Pool.Activity;

/// <summary>
/// Activity, stages and the outbox of the pool's stores (<see cref="PostgresPoolStore"/>, <see cref="InMemoryPoolStore"/>):
/// interactions a CRM reports, the scheduled stage pass, and the events to publish after commit.
/// </summary>
internal interface IPoolActivityStore
{
    /// <summary>
    /// Applies a reported <see cref="ContactInteraction"/> or <see cref="FollowerInteraction"/> once per
    /// <paramref name="eventId"/>, only to a contact or follower the pool knows (else nothing is recorded).
    /// </summary>
    Task<ReportOutcome> ReportAsync(string eventId, PoolChange change, CancellationToken ct = default);

    /// <summary>
    /// Re-evaluates every contact's stage as of <paramref name="now"/> in batches, recording a ContactStageChanged for each
    /// change; null when another instance is running the pass.
    /// </summary>
    Task<int?> RestageAllAsync(DateTimeOffset now, int batchSize, CancellationToken ct = default);

    /// <summary>Publishes up to <paramref name="max"/> events of the outbox, oldest first, deleting each once published.</summary>
    Task<int> PublishOutboxAsync(Func<OutboxEvent, Task> publish, int max, CancellationToken ct = default);
}

/// <summary>Wakes the outbox publisher of this process when a change wrote an event (others find it on their next poll).</summary>
internal sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        if (_pending.CurrentCount == 0)
        {
            try { _pending.Release(); }
            catch (SemaphoreFullException) { } // notified concurrently: one wake-up is enough
        }
    }

    /// <summary>True when notified, false after <paramref name="timeout"/> on <paramref name="time"/>.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await _pending.WaitAsync(both.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}

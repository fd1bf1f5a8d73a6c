namespace WecomBridge.Resync;

/// <summary>
/// Progress of re-syncs and the single-run lock per corp/account and scope: Redis (shared by every instance)
/// or in memory (embedded mode).
/// </summary>
internal interface IResyncStore
{
    /// <summary>Takes the lock and saves the run; when another run holds the lock, returns that run's id instead.</summary>
    Task<string?> TryStartAsync(ResyncProgress run);

    /// <summary>Saves progress and renews the lock while this run holds it.</summary>
    Task SaveAsync(ResyncProgress run);

    /// <summary>Saves the final state and frees the lock if this run still holds it.</summary>
    Task FinishAsync(ResyncProgress run);

    Task<ResyncProgress?> GetAsync(string id);
}

namespace WecomBridge.Callbacks.Dedupe;

/// <summary>
/// Claims a callback's dedupe key before it is handled, marks it done once its event is durable, and
/// frees it when handling failed, so that WeCom's retry is not mistaken for a duplicate.
/// Redis (shared by all instances) or in memory (embedded mode).
/// </summary>
internal interface ICallbackDedupe
{
    Task<DedupeState> TryClaimAsync(string key, TimeSpan inFlightTtl);
    Task MarkDoneAsync(string key, TimeSpan doneTtl);
    Task ReleaseAsync(string key);
}

internal enum DedupeState
{
    /// <summary>This copy owns the key: handle it.</summary>
    Claimed,

    /// <summary>Another copy is being handled right now.</summary>
    InFlight,

    /// <summary>Already durable: answer success, publish nothing.</summary>
    Done,
}

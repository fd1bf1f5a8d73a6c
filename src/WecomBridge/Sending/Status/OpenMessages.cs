namespace WecomBridge.Sending.Status;

/// <summary>
/// The index of unfinished messages that both stores keep with every write: each message in `accepted`, `deferred`
/// or `sending`, by the time its state should have ended (<see cref="DueOf"/>), so that the sweeper finds the ones
/// nothing moved on without reading every status. A finished message leaves it.
/// </summary>
internal static class OpenMessages
{
    public static readonly IReadOnlyList<string> States = [SendStates.Accepted, SendStates.Deferred, SendStates.Sending];

    /// <summary>Accepted: when accepted (a dispatcher takes it at once); deferred: its DeferredUntil; sending: its lease end.</summary>
    public static DateTimeOffset? DueOf(SendStatus status) => status.State switch
    {
        SendStates.Accepted => status.UpdatedAt,
        SendStates.Deferred => status.DeferredUntil ?? status.UpdatedAt,
        SendStates.Sending => status.LeaseUntil ?? status.UpdatedAt,
        _ => null,
    };

    /// <summary>The due time as the Redis index scores it (whole milliseconds); 0 for a finished status.</summary>
    public static long DueMs(SendStatus status) => DueOf(status)?.ToUnixTimeMilliseconds() ?? 0;
}

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// What an operator does with a quarantined event: look at it (the API masks its body), send it back into the spool
/// once the cause is fixed (a redeclared exchange, a raised size limit; an event refused again is quarantined again),
/// or discard it, which frees its room. Each is one transaction; a second action on the same id finds nothing.
/// </summary>
internal sealed partial class EventSpool
{
    public Task<(QuarantinedEvent Event, byte[] Body)?> GetQuarantinedAsync(long id) => _db.RunAsync(db => QuarantineStatements.Get(db, id));

    /// <summary>Back into the spool for forwarding; null when no event has that id.</summary>
    public async Task<QuarantinedEvent?> ReplayQuarantinedAsync(long id)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var moved = await _db.RunAsync(db => QuarantineStatements.Replay(db, id, now));
        if (moved is null) return null;
        Interlocked.Decrement(ref _quarantined);
        Interlocked.Increment(ref _depth);
        Appended?.Invoke();
        return moved;
    }

    /// <summary>Deleted for good; null when no event has that id.</summary>
    public async Task<QuarantinedEvent?> DiscardQuarantinedAsync(long id)
    {
        var gone = await _db.RunAsync(db => QuarantineStatements.Discard(db, id));
        if (gone is null) return null;
        Interlocked.Decrement(ref _quarantined);
        Interlocked.Add(ref _bytes, -Cost(gone.Type, gone.EventId, (int)gone.Bytes));
        _refusing = false;
        return gone;
    }
}

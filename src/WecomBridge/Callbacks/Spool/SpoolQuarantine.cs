namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// Events the broker refused for good (see <see cref="SpoolRefusal"/>) leave the spool for the `quarantine` table,
/// so that the events behind them flow. They keep their body (an operator may replay it) and count toward the
/// spool's bound; readiness reports them (Degraded) and GET /api/v1/gateway/quarantine lists them without bodies.
/// </summary>
internal sealed partial class EventSpool
{
    /// <summary>Moves one event to the quarantine with a short reason (no personal data: ids, codes, names of exchanges).</summary>
    public async Task QuarantineAsync(SpooledEvent spooled, string reason)
    {
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (await _db.RunAsync(db => Schema.Quarantine(db, spooled.Id, reason, at)))
        {
            Interlocked.Decrement(ref _depth);
            Interlocked.Increment(ref _quarantined);
        }
    }

    /// <summary>Quarantined events after id <paramref name="afterId"/>, oldest first, metadata only.</summary>
    public Task<IReadOnlyList<QuarantinedEvent>> ListQuarantineAsync(long afterId, int max) =>
        _db.RunAsync(db => Schema.ListQuarantine(db, afterId, max));
}

using System.Collections.Concurrent;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// Spooled events whose last publish failed after it may have reached the broker, held back from the forwarder for a
/// while that doubles with each such failure. During a failover the broker can store a publish and still answer it
/// with a nack or a closed channel: every retry of the event can then leave one more copy (same event id) on the
/// queues, so an event's retries are spaced (<see cref="FirstHold"/>, doubling up to <see cref="MaxHold"/>) rather than
/// repeated at every pass. In memory only and bounded: past <see cref="MaxHeld"/> the expired holds are dropped.
/// </summary>
internal sealed class ForwardHolds(TimeProvider time)
{
    public static readonly TimeSpan FirstHold = TimeSpan.FromSeconds(2), MaxHold = TimeSpan.FromSeconds(60);

    // Failed events of an outage of hours with one probe every few seconds, or of many windows cut by flapping nodes.
    private const int MaxHeld = 100_000;

    private readonly ConcurrentDictionary<string, Hold> _holds = new();

    /// <summary>Events held back now or failed before (for tests and drills).</summary>
    public int Count => _holds.Count;

    /// <summary>True while the event's retry has to wait (its last publish failed less than its hold ago).</summary>
    public bool IsHeld(string eventId) => _holds.TryGetValue(eventId, out var hold) && time.GetUtcNow() < hold.Until;

    /// <summary>Failed attempts of the event since it was last confirmed or forgotten.</summary>
    public int Failures(string eventId) => _holds.TryGetValue(eventId, out var hold) ? hold.Failures : 0;

    /// <summary>The event's publish failed after it may have reached the broker: hold its next attempt back.</summary>
    public void Failed(string eventId)
    {
        if (_holds.Count >= MaxHeld) DropExpired();
        var now = time.GetUtcNow();
        _holds.AddOrUpdate(eventId,
            _ => new Hold(1, now + FirstHold),
            (_, h) => new Hold(h.Failures + 1, now + TimeSpan.FromTicks(Math.Min(FirstHold.Ticks << Math.Min(h.Failures, 16), MaxHold.Ticks))));
    }

    /// <summary>The event left the spool (confirmed or quarantined).</summary>
    public void Forget(string eventId) => _holds.TryRemove(eventId, out _);

    private void DropExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (id, hold) in _holds)
            if (hold.Until <= now) _holds.TryRemove(id, out _);
    }

    private readonly record struct Hold(int Failures, DateTimeOffset Until);
}

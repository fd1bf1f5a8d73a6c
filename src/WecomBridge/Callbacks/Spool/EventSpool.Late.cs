using System.Collections.Concurrent;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// Publishes that went on after their caller stopped waiting for the confirm. A publish whose confirm is late may still
/// be stored by the broker, so its event must not be published again until it settles: the intake spools such an event
/// and the forwarder leaves it in the spool while its first publish is pending, drops it when that publish is confirmed
/// (the copy is redundant) and forwards it when that publish fails. In memory only (after a restart a spooled copy is
/// forwarded: a repeat with the same event id) and bounded.
/// </summary>
internal sealed partial class EventSpool
{
    /// <summary>How long a late publish is watched before it is cancelled: a confirm later than that can make a copy.</summary>
    public static readonly TimeSpan LateConfirmWindow = TimeSpan.FromSeconds(60);

    // Publishes watched at once: the intake's timeouts at several thousand callbacks/s while the broker stalls, plus the
    // forwarder's window. Above it a timed-out publish is cancelled unwatched, and a late confirm of it makes a copy.
    private const int MaxWatched = 50_000;

    // Ids of a minute of late confirms at several thousand callbacks/s (about 100 bytes each), cleared when full: the ids
    // of copies already dropped. A smaller set forgot late confirms before the forwarder reached their copies.
    private const int MaxConfirmedLate = 200_000;

    private readonly ConcurrentDictionary<string, byte> _pending = new(), _confirmedLate = new();
    private int _watched;

    /// <summary>
    /// Watches <paramref name="publish"/> of <paramref name="eventId"/>, whose caller stopped waiting for its confirm,
    /// until it settles or <see cref="LateConfirmWindow"/> passes (then <paramref name="cancel"/> is cancelled); disposes
    /// <paramref name="cancel"/> when done. False when too many are watched already: the publish is cancelled at once.
    /// Call it before the event is appended, so that the forwarder never sees the copy unwatched.
    /// </summary>
    public bool WatchLate(string eventId, Task publish, CancellationTokenSource cancel)
    {
        if (Interlocked.Increment(ref _watched) > MaxWatched)
        {
            Interlocked.Decrement(ref _watched);
            cancel.Cancel();
            cancel.Dispose();
            return false;
        }
        _pending[eventId] = 0;
        cancel.CancelAfter(LateConfirmWindow);
        _ = publish.ContinueWith(p =>
        {
            if (p.IsCompletedSuccessfully) ConfirmedLate(eventId); // before the pending mark goes: see IsPublishPending
            _pending.TryRemove(eventId, out _);
            Interlocked.Decrement(ref _watched);
            cancel.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>
    /// True while an earlier publish of this event may still be confirmed: publishing it now could make a copy. Ask this
    /// before <see cref="TakeConfirmedLate"/>: a settled publish is marked confirmed before it stops being pending.
    /// </summary>
    public bool IsPublishPending(string eventId) => _pending.ContainsKey(eventId);

    /// <summary>True (once) when the broker has confirmed the earlier publish of this spooled event.</summary>
    public bool TakeConfirmedLate(string eventId) => _confirmedLate.TryRemove(eventId, out _);

    /// <summary>Publishes watched now (for tests and metrics).</summary>
    public int WatchedLate => Volatile.Read(ref _watched);

    private void ConfirmedLate(string eventId)
    {
        if (_confirmedLate.Count >= MaxConfirmedLate) _confirmedLate.Clear(); // ids of copies already dropped: stale
        _confirmedLate[eventId] = 0;
    }
}

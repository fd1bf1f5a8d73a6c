namespace WecomBridge.RateLimits;

/// <summary>At most <see cref="Permits"/> in any window of length <see cref="Window"/> (a sliding window, not fixed slots).</summary>
public sealed record RateLimit(int Permits, TimeSpan Window);

/// <summary>
/// A bucket and how it is limited. <see cref="Spacing"/> set: paced (GCRA), one call per Spacing and never a burst,
/// for the busy API buckets; null: counted in a sliding window, for low-volume limits (a sender's tasks per day,
/// a member's messages per minute). <see cref="Jitter"/>: how much the delays between a paced call's departure check
/// and its arrival at the platform may differ (see <see cref="IRateLimiter.DepartAsync"/>).
/// </summary>
public readonly record struct RateBucket(string Key, RateLimit Limit, TimeSpan? Spacing, TimeSpan Jitter = default)
{
    /// <summary>
    /// Calls spaced Window / Permits × (1 + <paramref name="margin"/>). Arrivals at the platform may then be delayed by
    /// anything from 0 to margin × Window (network, scheduling, another instance's clock path) and any sliding window
    /// still holds at most Permits of them: Permits + 1 arrivals span at least Permits × Spacing − delay spread
    /// = Window × (1 + margin) − spread, which is more than Window while the spread is under margin × Window.
    /// Used: Permits / (1 + margin) per window (97 % at the default 0.03).
    /// </summary>
    /// <remarks><paramref name="jitter"/> (default margin × Window) guards the departures (<see cref="IRateLimiter.DepartAsync"/>).</remarks>
    public static RateBucket Paced(string key, RateLimit limit, double margin, TimeSpan? jitter = null) =>
        new(key, limit, limit.Window / limit.Permits * (1 + margin), jitter ?? limit.Window * margin);

    public static RateBucket Counted(string key, RateLimit limit) => new(key, limit, null);
}

/// <summary>
/// A reservation: granted for the time <see cref="At"/> (the limiter's clock), the caller waits <see cref="Wait"/> and
/// calls; or refused (nothing taken), <see cref="Wait"/> then saying how long until every bucket would allow a call.
/// </summary>
public readonly record struct RateGrant(bool Granted, TimeSpan Wait, DateTimeOffset At);

/// <summary>
/// The answer of a departure check: go (<see cref="Wait"/> zero), or ask again after Wait; <see cref="PausedUntil"/>
/// when what holds the call back is a pause of the bucket (a throttle) rather than the departures of its span.
/// </summary>
public readonly record struct Departure(TimeSpan Wait, DateTimeOffset? PausedUntil)
{
    public static readonly Departure Go = new(TimeSpan.Zero, null);
}

/// <summary>
/// Rate limits shared by every instance: paced and counted buckets (corp+API, account+API, sender, member) and the
/// departure check of paced calls, which also holds back calls of a paused bucket (the throttle pauses the dispatcher
/// keeps, under the bucket's key). Redis (one atomic script on Redis's clock) or in memory.
/// </summary>
internal interface IRateLimiter
{
    /// <summary>
    /// All or nothing: finds the earliest time at which every bucket allows a call (paced spacing, never closer than
    /// the departure check lets calls go; counts) and,
    /// when it is within <paramref name="maxWait"/>, reserves it in every bucket at once; else takes nothing.
    /// Reservations are spaced per bucket, so callers on any instance never collide and never poll.
    /// </summary>
    Task<RateGrant> ReserveAsync(IReadOnlyList<RateBucket> buckets, TimeSpan maxWait);

    /// <summary>
    /// The departure check of a paced bucket, made right before a request leaves: when the departures recorded in the
    /// last Window + Jitter are fewer than Permits and the bucket is not paused, records this one (now, the limiter's
    /// clock) and says go; else records nothing and says how long until one of them leaves that span or the pause
    /// ends (ask again then). Arrivals lag
    /// departures by delays that differ by less than Jitter, so no sliding window of the platform holds more than
    /// Permits arrivals, whatever happened between the reservation and the departure: a late departure pushes the
    /// following ones instead of crowding a window with them. Jitter is at least the largest <paramref name="spread"/>
    /// any caller reported in the last two windows: the longest time from one of its checks to the call's answer,
    /// which bounds how late that call arrived (a busy machine widens it; paced reservations follow, see
    /// <see cref="ReserveAsync"/>).
    /// </summary>
    Task<Departure> DepartAsync(RateBucket bucket, TimeSpan spread);
}

internal static class RateLimiterExtensions
{
    /// <summary>
    /// Reserves within <paramref name="maxWait"/> and waits until the reserved time: granted (call now), or refused with
    /// the wait the caller should defer by. A cancelled wait leaves its reservation unused (a gap, never a burst).
    /// </summary>
    public static async Task<RateGrant> AcquireAsync(this IRateLimiter limiter, IReadOnlyList<RateBucket> buckets, TimeSpan maxWait,
        TimeProvider time, CancellationToken ct)
    {
        var grant = await limiter.ReserveAsync(buckets, maxWait);
        if (grant is { Granted: true, Wait.Ticks: > 0 }) await Task.Delay(grant.Wait, time, ct);
        return grant;
    }

    /// <summary>Waits as long as it takes (within a day) for one bucket's permit.</summary>
    public static Task<RateGrant> AcquireAsync(this IRateLimiter limiter, RateBucket bucket, TimeProvider time, CancellationToken ct) =>
        limiter.AcquireAsync([bucket], TimeSpan.FromDays(1), time, ct);
}

namespace WecomBridge.RateLimits;

/// <summary>At most <see cref="Permits"/> in any window of length <see cref="Window"/> (a sliding window, not fixed slots).</summary>
public sealed record RateLimit(int Permits, TimeSpan Window);

/// <summary>
/// Acquired, with the time the permit was counted at; or refused, with how long until a permit can free up
/// (the bucket's oldest permit leaves the window, or the bucket's pause ends).
/// </summary>
public readonly record struct RateDecision(bool Acquired, TimeSpan RetryAfter, DateTimeOffset At);

/// <summary>
/// Rate limits shared by every instance: sliding-window permits per bucket (corp+API, sender, account) and
/// pauses (45009: the bucket waits until its window resets). Redis (atomic Lua, Redis's own clock) or in memory.
/// </summary>
internal interface IRateLimiter
{
    Task<RateDecision> TryAcquireAsync(string bucket, RateLimit limit);

    /// <summary>No permit is given in this bucket for <paramref name="duration"/> (extends, never shortens, a pause).</summary>
    Task PauseAsync(string bucket, TimeSpan duration);
}

internal static class RateLimiterExtensions
{
    /// <summary>Waits (never spins) until a permit is acquired or <paramref name="ct"/> ends.</summary>
    public static async Task<RateDecision> AcquireAsync(
        this IRateLimiter limiter, string bucket, RateLimit limit, TimeProvider time, CancellationToken ct) =>
        await limiter.AcquireWithinAsync(bucket, limit, TimeSpan.MaxValue, time, ct);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> in all for a permit: acquired, or refused with its RetryAfter when the
    /// next try would go past <paramref name="maxWait"/> (the caller defers instead).
    /// </summary>
    public static async Task<RateDecision> AcquireWithinAsync(this IRateLimiter limiter, string bucket, RateLimit limit, TimeSpan maxWait,
        TimeProvider time, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            var decision = await limiter.TryAcquireAsync(bucket, limit);
            if (decision.Acquired) return decision;
            var wait = decision.RetryAfter < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : decision.RetryAfter;
            if (maxWait != TimeSpan.MaxValue && waited + wait > maxWait) return decision;
            await Task.Delay(wait, time, ct);
            waited += wait;
        }
    }
}

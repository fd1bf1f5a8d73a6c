namespace WecomBridge.RateLimits;

/// <summary>
/// Embedded mode: the same reservations, counts and departure checks as <see cref="RedisRateLimiter"/>, for one
/// process; <paramref name="pausedUntil"/> tells a bucket's pause (the dispatcher's in-memory throttle pauses).
/// </summary>
internal sealed class InMemoryRateLimiter(TimeProvider time, Func<string, DateTimeOffset?>? pausedUntil = null) : IRateLimiter
{
    /// <summary>The limiter's resolution (Redis counts in µs): a permit leaving at t frees the window from t + 1 µs.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMicroseconds(1);

    private readonly Dictionary<string, DateTimeOffset> _nextPaced = new();
    private readonly Dictionary<string, List<DateTimeOffset>> _counted = new();
    private readonly Dictionary<string, List<DateTimeOffset>> _departed = new();
    private readonly Dictionary<string, (TimeSpan Spread, DateTimeOffset Until)> _spread = new();
    private readonly Lock _gate = new();

    public Task<RateGrant> ReserveAsync(IReadOnlyList<RateBucket> buckets, TimeSpan maxWait)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var at = now;
            foreach (var bucket in buckets)
            {
                if (bucket.Spacing is not null)
                {
                    if (_nextPaced.TryGetValue(bucket.Key, out var next) && next > at) at = next;
                    continue;
                }
                var permits = Counted(bucket.Key, now, bucket.Limit.Window);
                // The n-th newest permit must leave the window: then fewer than Permits remain after the new one's start.
                if (permits.Count >= bucket.Limit.Permits)
                {
                    var leaves = permits[permits.Count - bucket.Limit.Permits] + bucket.Limit.Window + Tick;
                    if (leaves > at) at = leaves;
                }
            }
            if (at - now > maxWait) return Task.FromResult(new RateGrant(false, at - now, at));
            foreach (var bucket in buckets)
                if (bucket.Spacing is { } spacing)
                    _nextPaced[bucket.Key] = at + Max(spacing, (bucket.Limit.Window + Guard(bucket, now)) / bucket.Limit.Permits);
                else Insert(_counted[bucket.Key], at);
            return Task.FromResult(new RateGrant(true, at - now, at));
        }
    }

    public Task<Departure> DepartAsync(RateBucket bucket, TimeSpan spread)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            // The largest spread reported in the last two windows, as in Redis.
            var kept = _spread.TryGetValue(bucket.Key, out var k) && k.Until > now ? k.Spread : TimeSpan.Zero;
            if (spread > kept) _spread[bucket.Key] = (spread, now + 2 * bucket.Limit.Window);
        }
        if (pausedUntil?.Invoke(bucket.Key) is { } paused && paused > now) return Task.FromResult(new Departure(paused - now, paused));
        lock (_gate)
        {
            var span = bucket.Limit.Window + Guard(bucket, now);
            if (!_departed.TryGetValue(bucket.Key, out var departed)) _departed[bucket.Key] = departed = [];
            departed.RemoveAll(t => t <= now - span);
            if (departed.Count >= bucket.Limit.Permits)
            {
                var free = departed[departed.Count - bucket.Limit.Permits] + span + Tick - now;
                return Task.FromResult(new Departure(free > Tick ? free : Tick, null));
            }
            Insert(departed, now);
            return Task.FromResult(Departure.Go);
        }
    }

    /// <summary>For the operators' console: departures in the last <paramref name="window"/> and how far ahead the next slot is.</summary>
    public (int Departed, TimeSpan Ahead) Use(string key, TimeSpan window)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var departed = _departed.TryGetValue(key, out var d) ? d.Count(t => t > now - window) : 0;
            return (departed, _nextPaced.TryGetValue(key, out var next) && next > now ? next - now : TimeSpan.Zero);
        }
    }

    /// <summary>The larger of the bucket's jitter and the spread reported in the last two windows.</summary>
    private TimeSpan Guard(RateBucket bucket, DateTimeOffset now) =>
        _spread.TryGetValue(bucket.Key, out var kept) && kept.Until > now ? Max(bucket.Jitter, kept.Spread) : bucket.Jitter;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private List<DateTimeOffset> Counted(string key, DateTimeOffset now, TimeSpan window)
    {
        if (!_counted.TryGetValue(key, out var permits)) _counted[key] = permits = [];
        permits.RemoveAll(t => t <= now - window);
        return permits;
    }

    private static void Insert(List<DateTimeOffset> sorted, DateTimeOffset at)
    {
        var i = sorted.BinarySearch(at);
        sorted.Insert(i < 0 ? ~i : i, at);
    }
}

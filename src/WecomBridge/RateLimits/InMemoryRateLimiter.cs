namespace WecomBridge.RateLimits;

/// <summary>Embedded mode: the same sliding window and pauses, for one process.</summary>
internal sealed class InMemoryRateLimiter(TimeProvider time) : IRateLimiter
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _permits = new();
    private readonly Dictionary<string, DateTimeOffset> _pausedUntil = new();
    private readonly Lock _gate = new();

    public Task<RateDecision> TryAcquireAsync(string bucket, RateLimit limit)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_pausedUntil.TryGetValue(bucket, out var until) && until > now)
                return Task.FromResult(new RateDecision(false, until - now, now));
            if (!_permits.TryGetValue(bucket, out var permits)) _permits[bucket] = permits = new Queue<DateTimeOffset>();
            while (permits.Count > 0 && permits.Peek() <= now - limit.Window) permits.Dequeue();
            if (permits.Count < limit.Permits)
            {
                permits.Enqueue(now);
                return Task.FromResult(new RateDecision(true, TimeSpan.Zero, now));
            }
            return Task.FromResult(new RateDecision(false, permits.Peek() + limit.Window - now, now));
        }
    }

    public Task PauseAsync(string bucket, TimeSpan duration)
    {
        var until = time.GetUtcNow() + duration;
        lock (_gate)
        {
            if (!_pausedUntil.TryGetValue(bucket, out var current) || current < until) _pausedUntil[bucket] = until;
        }
        return Task.CompletedTask;
    }
}

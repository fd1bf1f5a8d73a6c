namespace WecomBridge.RateLimits;

/// <summary>
/// Per bucket, the longest time this instance saw from a passed departure check to the call's answer since it last
/// reported one: the call reached the platform within that time, so it bounds how late an arrival can be. Each
/// departure check reports it (<see cref="IRateLimiter.DepartAsync"/>), and the limiter widens the bucket's guard
/// for every instance while the machine, the network or the platform is slow.
/// </summary>
internal sealed class DepartureSpreads
{
    private readonly Dictionary<string, TimeSpan> _longest = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Observe(string bucket, TimeSpan spread)
    {
        lock (_gate)
            if (!_longest.TryGetValue(bucket, out var longest) || spread > longest) _longest[bucket] = spread;
    }

    /// <summary>The longest spread seen since the last call (zero when none), forgotten once reported.</summary>
    public TimeSpan Report(string bucket)
    {
        lock (_gate) return _longest.Remove(bucket, out var longest) ? longest : TimeSpan.Zero;
    }
}

namespace WecomBridge.Tests.RateLimits;

/// <summary>How a platform that counts arrivals in a sliding window sees a series of calls.</summary>
internal static class SlidingWindows
{
    /// <summary>The most arrivals in any closed window [t, t + window]: every window starting at an arrival (the worst ones).</summary>
    public static int Busiest(IEnumerable<DateTimeOffset> arrivals, TimeSpan window)
    {
        var times = arrivals.Order().ToArray();
        var most = 0;
        for (int first = 0, last = 0; first < times.Length; first++)
        {
            while (last < times.Length && times[last] - times[first] <= window) last++;
            most = Math.Max(most, last - first);
        }
        return most;
    }

    /// <summary>
    /// Grants shifted by delays in [0, spread]: random ones, and the adversarial patterns that squeeze the most
    /// arrivals into one window (one call late, then the following ones on time; runs alternately late and early).
    /// </summary>
    public static IEnumerable<(string Pattern, DateTimeOffset[] Arrivals)> Delayed(IReadOnlyList<DateTimeOffset> grants, TimeSpan spread,
        int permits)
    {
        var random = new Random(17);
        yield return ("none", grants.ToArray());
        yield return ("random", grants.Select(g => g + spread * random.NextDouble()).ToArray());
        yield return ("every permits-th late", grants.Select((g, i) => i % permits == 0 ? g + spread : g).ToArray());
        yield return ("late runs then early runs", grants.Select((g, i) => i / permits % 2 == 0 ? g + spread : g).ToArray());
        yield return ("alternate", grants.Select((g, i) => i % 2 == 0 ? g + spread : g).ToArray());
    }
}

using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace WecomBridge.Callbacks;

/// <summary>
/// The replay guard on callback timestamps, applied after the signature verified. A correctly signed callback
/// outside Gateway:TimestampWindow is still refused, but it almost always means that this host's clock (or the
/// sender's) is off, and then every callback is being refused: it is counted, logged with the skew, and turns
/// readiness Degraded for <see cref="AlertFor"/>, so that an operator is paged rather than events dropped silently.
/// </summary>
internal sealed partial class ClockSkew(
    TimeProvider time, IOptions<GatewayOptions> options, GatewayMetrics metrics, ILogger<ClockSkew> logger) : IHealthCheck
{
    public static readonly TimeSpan AlertFor = TimeSpan.FromMinutes(15);

    private Observation? _last;

    /// <summary>A reason to refuse the (already verified) timestamp, or null when it is within the window.</summary>
    public string? Check(string timestamp, string channel, string source)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
            return "timestamp is not a unix time";
        var now = time.GetUtcNow();
        var skew = now - DateTimeOffset.FromUnixTimeSeconds(seconds); // positive: the callback's clock is behind ours
        if (skew.Duration() <= options.Value.TimestampWindow) return null;
        _last = new Observation(now, source, (long)skew.TotalSeconds);
        metrics.Stale(channel, skew);
        Log.Skewed(logger, channel, source, (long)skew.TotalSeconds);
        return $"timestamp outside the accepted window ({(long)skew.TotalSeconds} s from this host's clock)";
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = _last;
        return Task.FromResult(last is null || time.GetUtcNow() - last.At > AlertFor
            ? HealthCheckResult.Healthy("callback timestamps agree with this host's clock")
            : HealthCheckResult.Degraded(
                $"a correctly signed callback for {last.Source} at {last.At:u} was {last.SkewSeconds} s from this host's clock " +
                "(beyond Gateway:TimestampWindow, refused): check the time synchronisation (NTP) of this host"));
    }

    private sealed record Observation(DateTimeOffset At, string Source, long SkewSeconds);

    private static partial class Log
    {
        [LoggerMessage(33, LogLevel.Warning, "A correctly signed {Channel} callback for {Source} was refused: its timestamp is " +
            "{SkewSeconds} s from this host's clock (positive: behind). Check the host's time synchronisation")]
        public static partial void Skewed(ILogger logger, string channel, string source, long skewSeconds);
    }
}

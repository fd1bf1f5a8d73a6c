namespace WecomBridge.Sending.Limits;

/// <summary>The causes of a pause, as the SendingPaused event names them.</summary>
internal static class PauseCauses
{
    public const string Throttled = "throttled";
    public const string Quota = "quota";
    public const string Configuration = "configuration";
}

/// <summary>
/// A paused group of sends as the store keeps it (JSON, read and written by the Redis scripts too): no send of
/// <see cref="Scope"/> goes before <see cref="UntilMs"/>. <see cref="Level"/> counts throttle pauses in a row.
/// </summary>
internal sealed record SendPause(
    string Scope, string Cause, string? Corp, string? App, string? Account, string? Api, int? ErrCode, string Reason, string Advice,
    long SinceMs = 0, long UntilMs = 0, int Level = 0)
{
    public DateTimeOffset Since => DateTimeOffset.FromUnixTimeMilliseconds(SinceMs);
    public DateTimeOffset Until => DateTimeOffset.FromUnixTimeMilliseconds(UntilMs);

    /// <summary>The deferred status's reason: names the pause.</summary>
    public string Describe() => $"{Cause}: {Scope} paused since {Since:u} ({Reason})";
}

/// <summary>
/// How long a throttle pauses: <see cref="Base"/> × <see cref="Growth"/>^level up to <see cref="Max"/>, at least
/// <see cref="Min"/>; the level grows when the last pause ended less than <see cref="Quiet"/> ago. A
/// <see cref="FixedUntil"/> (a daily quota's day end) replaces the growing length.
/// </summary>
internal sealed record ThrottleRule(TimeSpan Base, double Growth, TimeSpan Max, TimeSpan Quiet, TimeSpan Min, DateTimeOffset? FixedUntil)
{
    /// <summary>Level past which the length cannot grow any more (Growth ≥ 1 reaches Max long before).</summary>
    public const int TopLevel = 30;

    public long LengthMs(int level)
    {
        var ms = Base.TotalMilliseconds * Math.Pow(Growth, level);
        ms = Math.Max(Math.Min(ms, Max.TotalMilliseconds), Min.TotalMilliseconds);
        return (long)Math.Floor(ms);
    }
}

/// <summary>A pause written: whether this call started it (and so announces it), and the pause as it now stands.</summary>
internal readonly record struct PauseWrite(bool Started, SendPause Pause);

/// <summary>
/// The shared pauses (Redis for all instances, or in memory). Times come from the caller's clock, so that one
/// instance's decision reads the same on every other (their clocks agree to far less than a pause).
/// </summary>
internal interface ISendPauseStore
{
    /// <summary>The throttle pause of <paramref name="bucket"/> and the configuration pauses of the scopes, over or not.</summary>
    Task<(SendPause? Throttle, IReadOnlyList<SendPause> Configuration)> FindAsync(string bucket, IReadOnlyList<string> scopes);

    /// <summary>
    /// Starts a throttle pause of <paramref name="proposal"/>'s scope unless one is on (a call that was in flight when
    /// it started): atomic, so that of all instances throttled at once exactly one starts it.
    /// </summary>
    Task<PauseWrite> ThrottleAsync(SendPause proposal, ThrottleRule rule, DateTimeOffset now);

    /// <summary>Starts a configuration pause (or, with the same errcode, moves its next probe to now + probe).</summary>
    Task<PauseWrite> PauseConfigurationAsync(SendPause proposal, TimeSpan probe, DateTimeOffset now);

    /// <summary>
    /// Claims the probe of a due configuration pause (its next probe moves to now + probe): true for the one caller
    /// that claims it, or when the pause is gone; false with the pause when it is not due or another caller claimed it.
    /// </summary>
    Task<(bool Claimed, SendPause? Pause)> ClaimProbeAsync(string scope, TimeSpan probe, DateTimeOffset now);

    /// <summary>Removes a configuration pause; returns it to the one caller that removed it.</summary>
    Task<SendPause?> LiftAsync(string scope);

    /// <summary>Every pause recorded (for readiness).</summary>
    Task<IReadOnlyList<SendPause>> AllAsync();
}

namespace WecomBridge.Sending.Limits;

/// <summary>
/// Embedded mode: the same pauses and decisions as <see cref="RedisSendPauseStore"/>, for one process; the rate
/// limiter's departure check reads the throttle pauses through <see cref="ThrottledUntil"/>.
/// </summary>
internal sealed class InMemorySendPauseStore : ISendPauseStore
{
    private readonly Dictionary<string, SendPause> _throttled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SendPause> _configured = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<(SendPause? Throttle, IReadOnlyList<SendPause> Configuration)> FindAsync(string bucket, IReadOnlyList<string> scopes)
    {
        lock (_gate)
        {
            var configured = scopes.Select(s => _configured.GetValueOrDefault(s)).OfType<SendPause>().ToArray();
            return Task.FromResult<(SendPause?, IReadOnlyList<SendPause>)>((_throttled.GetValueOrDefault(bucket), configured));
        }
    }

    /// <summary>The end of <paramref name="bucket"/>'s throttle pause, if it has one.</summary>
    public DateTimeOffset? ThrottledUntil(string bucket)
    {
        lock (_gate) return _throttled.TryGetValue(bucket, out var pause) ? pause.Until : null;
    }

    public Task<PauseWrite> ThrottleAsync(SendPause proposal, ThrottleRule rule, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        var quiet = (long)rule.Quiet.TotalMilliseconds;
        lock (_gate)
        {
            // Kept for QuietPeriod after its end (the next throttle's level), like the Redis record's expiry.
            foreach (var over in _throttled.Where(t => t.Value.UntilMs + Math.Max(1000, quiet) <= at).Select(t => t.Key).ToList())
                _throttled.Remove(over);
            var level = 0;
            if (_throttled.TryGetValue(proposal.Scope, out var current))
            {
                if (current.UntilMs > at) return Task.FromResult(new PauseWrite(false, current));
                if (at < current.UntilMs + (long)rule.Quiet.TotalMilliseconds) level = Math.Min(current.Level + 1, ThrottleRule.TopLevel);
            }
            var until = rule.FixedUntil?.ToUnixTimeMilliseconds() ?? at + rule.LengthMs(level);
            var pause = proposal with { Level = level, SinceMs = at, UntilMs = until };
            _throttled[proposal.Scope] = pause;
            return Task.FromResult(new PauseWrite(true, pause));
        }
    }

    public Task<PauseWrite> PauseConfigurationAsync(SendPause proposal, TimeSpan probe, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var same = _configured.TryGetValue(proposal.Scope, out var current) && current.ErrCode == proposal.ErrCode;
            var pause = (same ? current! : proposal with { SinceMs = at }) with { UntilMs = at + (long)probe.TotalMilliseconds };
            _configured[proposal.Scope] = pause;
            return Task.FromResult(new PauseWrite(!same, pause));
        }
    }

    public Task<(bool Claimed, SendPause? Pause)> ClaimProbeAsync(string scope, TimeSpan probe, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            if (!_configured.TryGetValue(scope, out var current)) return Task.FromResult<(bool, SendPause?)>((true, null));
            if (current.UntilMs > at) return Task.FromResult<(bool, SendPause?)>((false, current));
            var claimed = current with { UntilMs = at + (long)probe.TotalMilliseconds };
            _configured[scope] = claimed;
            return Task.FromResult<(bool, SendPause?)>((true, claimed));
        }
    }

    public Task<SendPause?> LiftAsync(string scope)
    {
        lock (_gate) return Task.FromResult(_configured.Remove(scope, out var removed) ? removed : null);
    }

    public Task<IReadOnlyList<SendPause>> AllAsync()
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<SendPause>>([.. _throttled.Values, .. _configured.Values]);
    }
}

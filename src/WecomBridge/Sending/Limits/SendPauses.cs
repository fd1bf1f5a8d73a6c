using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// Throttled or misconfigured is a state of a group of sends, shared by all instances, not a loop of each message:
/// a rate limit or quota pauses the corp's (or account's) API, growing when it recurs; a configuration error pauses
/// the corp, secret or API until a probe succeeds. The instance that starts a pause announces it once (SendingPaused);
/// the messages that meet it wait for its end quietly. A successful probe lifts it (SendingResumed).
/// </summary>
internal sealed partial class SendPauses(
    ISendPauseStore store, IMessagePublisher events, IOptionsMonitor<SendPauseOptions> options,
    IOptions<DispatchOptions> dispatch, TimeProvider time, ILogger<SendPauses> logger, ApiLimits? limits = null)
{
    /// <summary>What the Official Account asks after 45011 (per-minute limit) and 45066 (mass send retried too fast).</summary>
    public static readonly TimeSpan OfficialAccountMinutePause = TimeSpan.FromSeconds(60);

    /// <summary>Whether an answer pauses a group of sends (rather than failing or retrying the one message).</summary>
    public static bool Pauses(ApiException e) => e.Class is ApiErrorClass.Throttled or ApiErrorClass.Configuration;

    /// <summary>
    /// Whether the send may go now: not while a pause of its bucket or scopes is on. When a configuration pause is
    /// due for its probe, the one send that claims it goes (its <see cref="PauseCheck.Probes"/> name what its success lifts).
    /// </summary>
    public async Task<PauseCheck> CheckAsync(PauseTarget target)
    {
        var (throttle, configured) = await store.FindAsync(target.Bucket, target.ConfigurationScopes);
        var now = time.GetUtcNow();
        if (throttle is { } on && on.Until > now) return new PauseCheck(on.Until, on.Describe(), []);
        if (configured.Count == 0) return PauseCheck.Go;
        if (configured.Where(p => p.Until > now).MaxBy(p => p.UntilMs) is { } waiting) return new PauseCheck(waiting.Until, waiting.Describe(), []);
        foreach (var due in configured)
            if (await store.ClaimProbeAsync(due.Scope, options.CurrentValue.ProbeInterval, now) is { Claimed: false, Pause: { } other })
                return new PauseCheck(other.Until, other.Describe(), []);
        Log.Probing(logger, string.Join(", ", configured.Select(p => p.Scope)));
        return new PauseCheck(null, null, configured.Select(p => p.Scope).ToArray());
    }

    /// <summary>Starts (or joins) the pause an answer calls for; returns it. Announced only by the caller that started it.</summary>
    public async Task<SendPause> PauseAsync(PauseTarget target, ApiException e)
    {
        var now = time.GetUtcNow();
        // Held back at departure by a pause already on: that pause, not a new one (it may have ended meanwhile).
        if (e.PausedUntil is { } until)
            return (await store.FindAsync(target.Bucket, [])).Throttle is { } on && on.Until >= until ? on
                : new SendPause(target.Bucket, PauseCauses.Throttled, target.Corp, null, target.Account, target.Api, null, e.Path, "",
                    now.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds());
        var reason = e.ErrCode is { } code ? $"{e.Path} errcode {code}" : e.HttpStatus is { } status ? $"{e.Path} HTTP {status}" : e.Path;
        PauseWrite write;
        if (e.Class == ApiErrorClass.Throttled)
        {
            var quota = target.IsOfficialAccount && e.ErrCode == 45009;
            var cause = quota ? PauseCauses.Quota : PauseCauses.Throttled;
            var proposal = new SendPause(target.Bucket, cause, target.Corp, null, target.Account, target.Api, e.ErrCode, reason,
                SendPauseAdvice.For(target, cause, e.ErrCode));
            write = await store.ThrottleAsync(proposal, Rule(target, e, now, quota), now);
        }
        else
        {
            var (scope, app, api) = target.ScopeOf(e.ErrCode);
            var proposal = new SendPause(scope, PauseCauses.Configuration, target.Corp, app, target.Account, api, e.ErrCode, reason,
                SendPauseAdvice.For(target, PauseCauses.Configuration, e.ErrCode));
            write = await store.PauseConfigurationAsync(proposal, options.CurrentValue.ProbeInterval, now);
        }
        var pause = write.Pause;
        if (write.Started)
        {
            Log.Paused(logger, pause.Scope, pause.Cause, pause.Reason, pause.Until, pause.Level);
            await PublishAsync(EventIds.Of($"pause:{pause.Scope}:{pause.Cause}:{pause.SinceMs}"), id => new SendingPaused(id, pause.Scope,
                pause.Cause, pause.Corp, pause.App, pause.Account, pause.Api, pause.ErrCode, pause.Reason, pause.Advice, pause.Since, pause.Until));
        }
        return pause;
    }

    /// <summary>A send that probed succeeded: the configuration pauses it probed are lifted (announced by the one that lifts each).</summary>
    public async Task SucceededAsync(PauseCheck check)
    {
        foreach (var scope in check.Probes)
        {
            if (await store.LiftAsync(scope) is not { } lifted) continue;
            Log.Lifted(logger, lifted.Scope, lifted.ErrCode);
            await PublishAsync(EventIds.Of($"resume:{lifted.Scope}:{lifted.SinceMs}"), id => new SendingResumed(id, lifted.Scope, lifted.Cause,
                lifted.Corp, lifted.App, lifted.Account, lifted.Api, lifted.ErrCode, lifted.Since, time.GetUtcNow()));
        }
    }

    /// <summary>The end of the Official Account's quota day that <paramref name="now"/> is in: the next local midnight.</summary>
    public static DateTimeOffset QuotaDayEnd(DateTimeOffset now, TimeZoneInfo zone)
    {
        var midnight = TimeZoneInfo.ConvertTime(now, zone).Date.AddDays(1);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    private ThrottleRule Rule(PauseTarget target, ApiException e, DateTimeOffset now, bool quota)
    {
        var o = options.CurrentValue;
        var first = FirstPause(target);
        var min = target.IsOfficialAccount && e.ErrCode is 45011 or 45066 ? OfficialAccountMinutePause : TimeSpan.Zero;
        DateTimeOffset? until = quota ? QuotaDayEnd(now, TimeZoneInfo.FindSystemTimeZoneById(o.QuotaTimeZone)) : null;
        return new ThrottleRule(first, o.Growth, o.MaxPause > first ? o.MaxPause : first, o.QuietPeriod, min, until);
    }

    /// <summary>
    /// The bucket's window (its calls in the platform's window are all past by then), at most ThrottlePause: a rare
    /// 45009 from a late arrival costs one window, not a minute; recurring ones grow the pause from there (WeCom's own
    /// hour and day limits need the longer pauses).
    /// </summary>
    private TimeSpan FirstPause(PauseTarget target)
    {
        var most = dispatch.Value.ThrottlePause;
        if (limits is null) return most;
        var window = (target.Account is { } account ? limits.ForAccount(account, target.Api) : limits.ForCorp(target.Corp!, target.Api)).Limit.Window;
        return window < most ? window : most;
    }

    /// <summary>An announcement lost with the broker is not worth failing the send: readiness shows the pause anyway.</summary>
    private async Task PublishAsync<T>(string eventId, Func<string, T> message) where T : notnull
    {
        try
        {
            await events.PublishAsync(typeof(T), eventId, EventJson.Serialize(message(eventId)), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.NotAnnounced(logger, typeof(T).Name, eventId, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sends of {Scope} paused ({Cause}) after {Reason} until {Until:u} (level {Level})")]
        public static partial void Paused(ILogger logger, string scope, string cause, string reason, DateTimeOffset until, int level);

        [LoggerMessage(2, LogLevel.Information, "A send probes the paused {Scopes}")]
        public static partial void Probing(ILogger logger, string scopes);

        [LoggerMessage(3, LogLevel.Information, "The pause of {Scope} (errcode {ErrCode}) is lifted: a send succeeded")]
        public static partial void Lifted(ILogger logger, string scope, int? errCode);

        [LoggerMessage(4, LogLevel.Warning, "{Event} {EventId} could not be published ({Error}); the pause stands")]
        public static partial void NotAnnounced(ILogger logger, string @event, string eventId, string error);
    }
}

/// <summary>
/// Go now (probing <see cref="Probes"/>, when any), or wait until <see cref="WaitUntil"/> for the pause that
/// <see cref="Reason"/> names.
/// </summary>
internal sealed record PauseCheck(DateTimeOffset? WaitUntil, string? Reason, IReadOnlyList<string> Probes)
{
    public static readonly PauseCheck Go = new(null, null, []);
}

namespace WecomBridge.Contracts.Sending;

/// <summary>
/// The dispatcher paused a group of sends: a corp's (or account's) API after a rate limit or quota, or a corp, app or
/// account whose setup WeCom refuses (bad secret or corp id, IP not trusted, API forbidden). Published once per pause,
/// by the instance that started it; the waiting messages are deferred without a MessageDeferred each.
/// Cause is "throttled", "quota" or "configuration". Until is when sends are tried again: the end of a throttle or
/// quota pause; for a configuration pause, the next probe (one message tried to see whether the setup was fixed),
/// which goes on every Dispatch:Pauses:ProbeInterval until a send succeeds (then SendingResumed).
/// </summary>
public sealed record SendingPaused(
    string EventId,
    string Scope,
    string Cause,
    string? Corp,
    string? App,
    string? Account,
    string? Api,
    int? ErrCode,
    string Reason,
    string Advice,
    DateTimeOffset OccurredAt,
    DateTimeOffset Until);

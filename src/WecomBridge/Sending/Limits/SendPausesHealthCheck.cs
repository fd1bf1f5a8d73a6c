using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WecomBridge.OfficialAccount;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// Readiness check "sending": Degraded while a configuration pause holds sends of this deployment's corps or
/// accounts back (each with why, since when, and what to do), so that an operator is paged rather than messages
/// waiting unseen; throttles and quotas (they end by themselves) are listed while on, Healthy.
/// </summary>
internal sealed class SendPausesHealthCheck(
    ISendPauseStore store, IOptions<WeComOptions> wecom, IOptions<OfficialAccountOptions> accounts, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SendPause> all;
        try
        {
            all = await store.AllAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Degraded($"send pauses could not be read ({e.GetType().Name})");
        }
        var now = time.GetUtcNow();
        var ours = all.Where(p => p.Account is { } a ? accounts.Value.Accounts.ContainsKey(a) : p.Corp is { } c && wecom.Value.Corps.ContainsKey(c))
            .OrderBy(p => p.Scope, StringComparer.Ordinal).ToArray();
        var configured = ours.Where(p => p.Cause == PauseCauses.Configuration).ToArray();
        var throttled = ours.Where(p => p.Cause != PauseCauses.Configuration && p.Until > now).ToArray();
        var throttles = string.Join("; ", throttled.Select(p => $"{p.Scope} {p.Cause} until {p.Until:u} ({p.Reason})"));
        if (configured.Length > 0)
            return HealthCheckResult.Degraded(string.Join("; ", configured.Select(p =>
                $"{p.Scope} paused since {p.Since:u} after {p.Reason}: {p.Advice}; messages kept, next try at {p.Until:u}"))
                + (throttled.Length > 0 ? "; throttled: " + throttles : ""));
        return HealthCheckResult.Healthy(throttled.Length > 0 ? "throttled: " + throttles : "no sends paused");
    }
}

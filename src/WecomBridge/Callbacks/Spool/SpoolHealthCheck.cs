using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// Unhealthy (not ready: send callbacks to another instance) when the spool is full; Degraded (still ready) while
/// events wait for the broker or sit in the quarantine; Healthy when it is empty.
/// </summary>
internal sealed class SpoolHealthCheck(EventSpool spool) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (depth, quarantined) = (spool.Depth, spool.Quarantined);
        var waiting = depth == 0 ? "spool empty" : $"{depth} events wait in the spool for the broker";
        var aside = quarantined == 0 ? "" : $"; {quarantined} events quarantined (refused by the broker for good: GET /api/v1/gateway/quarantine)";
        var used = $" ({spool.Bytes / 1048576.0:F1} of {spool.MaxBytes / 1048576.0:F0} MiB)";
        return Task.FromResult(
            spool.IsFull ? HealthCheckResult.Unhealthy($"spool full: {waiting}{aside}{used}; callbacks beyond it go unanswered") :
            depth > 0 || quarantined > 0 ? HealthCheckResult.Degraded(waiting + aside + used) :
            HealthCheckResult.Healthy(waiting));
    }
}

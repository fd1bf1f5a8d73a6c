using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WecomBridge.Callbacks.Spool;

/// <summary>Degraded (still ready) while events wait in the spool; unhealthy when it is full.</summary>
internal sealed class SpoolHealthCheck(EventSpool spool) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(spool.Depth switch
        {
            0 => HealthCheckResult.Healthy("spool empty"),
            _ when spool.IsFull => HealthCheckResult.Unhealthy($"spool full: {spool.Depth} events wait for the broker"),
            var depth => HealthCheckResult.Degraded($"{depth} events wait in the spool for the broker"),
        });
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WecomBridge.Observability.Health;

/// <summary>
/// Readiness check "accounts": Degraded while a configured secret's token fetch fails, a callback URL's callbacks are
/// refused for their signature, or a configuration pause holds sends back, each named with the errcode table's
/// advice; its data holds each corp's and account's status. Never Unhealthy: the process itself works.
/// </summary>
internal sealed class AccountHealthCheck(AccountHealthReport report) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        AccountHealthPage page;
        try
        {
            page = await report.BuildAsync(_ => true, _ => true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Degraded($"account health could not be read ({e.GetType().Name})");
        }
        var data = page.Corps.ToDictionary(c => "wecom:" + c.Corp, c => (object)c.Status);
        foreach (var a in page.Accounts) data["oa:" + a.Account] = a.Status;
        var problems = page.Corps.SelectMany(c => c.Problems).Concat(page.Accounts.SelectMany(a => a.Problems)).ToArray();
        return problems.Length > 0
            ? HealthCheckResult.Degraded(string.Join("; ", problems), data: data)
            : HealthCheckResult.Healthy("no account problems seen (details: GET /api/v1/health/accounts)", data);
    }
}

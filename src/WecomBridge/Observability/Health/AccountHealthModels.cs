namespace WecomBridge.Observability.Health;

/// <summary>
/// Health per configured corp (its customer-contact secret and its apps) and Official Account, as
/// `GET /api/v1/health/accounts` and the readiness check `accounts` show it. Status: `healthy`, `degraded` (a
/// problem an operator must fix: see <see cref="CorpHealth.Problems"/>) or `unknown` (nothing observed yet).
/// </summary>
internal sealed record AccountHealthPage(
    string Status, DateTimeOffset CheckedAt, IReadOnlyList<CorpHealth> Corps, IReadOnlyList<AccountHealth> Accounts);

internal sealed record CorpHealth(
    string Corp, string Status, TokenHealth? ContactToken, IReadOnlyList<AppHealth> Apps, IReadOnlyList<PauseHealth> Pauses,
    IReadOnlyList<string> Problems);

internal sealed record AppHealth(string App, TokenHealth? Token, CallbackHealth? Callback);

internal sealed record AccountHealth(
    string Account, string Status, TokenHealth? Token, CallbackHealth? Callback, IReadOnlyList<PauseHealth> Pauses, IReadOnlyList<string> Problems);

/// <summary>
/// The last token fetch of one secret (named by its setting): `ok`, `failing` (the last fetch failed: errcode and the
/// errcode table's advice) or `unknown` (not fetched since the record began, or tokens are still cached).
/// </summary>
internal sealed record TokenHealth(
    string Secret, string State, DateTimeOffset? LastOkAt, DateTimeOffset? LastFailedAt, int? ErrCode, string? ErrorClass, string? Advice);

/// <summary>
/// A callback URL: `heard` (a verified callback came), `refused` (the last ones were refused, e.g. their signature does
/// not match the configured Token) or `never` (none since the record began: nothing wrong if the app has no traffic).
/// </summary>
internal sealed record CallbackHealth(
    string Url, string State, DateTimeOffset? LastHeardAt, DateTimeOffset? LastRefusedAt, string? Refusal, string? Advice);

/// <summary>A send pause of the dispatcher (Dispatch:Pauses) that holds sends of this corp or account back.</summary>
internal sealed record PauseHealth(string Scope, string Cause, int? ErrCode, DateTimeOffset Since, DateTimeOffset Until, string Advice);

internal static class HealthStates
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unknown = "unknown";
    public const string Ok = "ok";
    public const string Failing = "failing";
    public const string Heard = "heard";
    public const string Refused = "refused";
    public const string Never = "never";
}

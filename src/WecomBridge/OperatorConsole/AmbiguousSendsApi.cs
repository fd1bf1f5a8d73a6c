using Microsoft.Extensions.Options;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Errors;
using WecomBridge.WeCom;

namespace WecomBridge.OperatorConsole;

/// <summary>
/// GET /api/v1/dispatch/ambiguous: the latest ambiguous sends of the corps and accounts the key may use (or of one
/// `corp` or `account`), newest first, up to `limit` (1–200, default 50), from the error history (kept for
/// Dispatch:Errors:Retention, at most Dispatch:Errors:MaxAmbiguous per corp or account).
/// </summary>
internal static class AmbiguousSendsApi
{
    public const int MaxLimit = 200;

    public static async Task<IResult> Get(HttpContext http, string? corp, string? account, string? limit, SendErrorHistory history,
        IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<OfficialAccountOptions> oa, TimeProvider time)
    {
        if (ConsoleQuery.Scopes(http.User, corp, account, wecom, oa, out var scopes) is { } refused) return refused;
        if (ConsoleQuery.Number(limit, "limit", 1, MaxLimit, 50, out var max) is { } bad) return bad;
        var now = time.GetUtcNow();
        var sends = new List<AmbiguousSend>();
        foreach (var (c, a) in scopes)
            sends.AddRange((await history.Store.AmbiguousAsync(SendError.ScopeOf(c, a), now, max, history.Limits))
                .Select(e => new AmbiguousSend(e.MessageId, e.Kind, e.Corp, e.App, e.Account, e.At, e.Reason, e.FirstCallAt)));
        return TypedResults.Ok(new AmbiguousPage(now, sends.OrderByDescending(s => s.At).Take(max).ToList()));
    }
}

internal sealed record AmbiguousPage(DateTimeOffset CheckedAt, IReadOnlyList<AmbiguousSend> Sends);

/// <summary>An ambiguous send: when it ended so (`at`), why, and when its earliest call of unknown outcome started.</summary>
internal sealed record AmbiguousSend(string MessageId, string Kind, string? Corp, string? App, string? Account, DateTimeOffset At,
    string Reason, DateTimeOffset? FirstCallAt);

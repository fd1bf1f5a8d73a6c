using Microsoft.Extensions.Options;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Errors;
using WecomBridge.WeCom;

namespace WecomBridge.OperatorConsole;

/// <summary>
/// GET /api/v1/dispatch/errors: per corp (account) the key may use, the sends that ended failed or ambiguous in the
/// last `window` seconds (60 to Dispatch:Errors:Retention, default Dispatch:Errors:Window), grouped by state and
/// errcode: how many, first and last seen, the latest few (ids and reasons) and the errcode table's advice.
/// </summary>
internal static class SendErrorsApi
{
    public static RouteGroupBuilder MapSendErrors(this RouteGroupBuilder api)
    {
        var dispatch = api.MapGroup("/dispatch").WithTags("Dispatch");
        dispatch.MapGet("/errors", Get)
            .WithSummary("Sends that failed or ended ambiguous in the last window, by corp (account), errcode and state, with advice")
            .Produces<ErrorsPage>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        dispatch.MapGet("/ambiguous", AmbiguousSendsApi.Get)
            .WithSummary("The latest ambiguous sends (outcome unknown, not repeated), newest first")
            .Produces<AmbiguousPage>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<IResult> Get(HttpContext http, string? corp, string? account, string? window, SendErrorHistory history,
        IOptions<SendErrorOptions> options, IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<OfficialAccountOptions> oa, TimeProvider time)
    {
        var o = options.Value;
        if (ConsoleQuery.Scopes(http.User, corp, account, wecom, oa, out var scopes) is { } refused) return refused;
        if (ConsoleQuery.Number(window, "window", 60, (int)o.Retention.TotalSeconds, (int)o.Window.TotalSeconds, out var seconds) is { } bad)
            return bad;
        var now = time.GetUtcNow();
        var rows = new List<ErrorRow>();
        foreach (var (c, a) in scopes)
        {
            foreach (var g in await history.Store.ReadAsync(SendError.ScopeOf(c, a), now, TimeSpan.FromSeconds(seconds), history.Limits))
            {
                var latest = g.Recent.FirstOrDefault() ?? new SendErrorEntry("", "", c, null, a, g.LastSeen, "", null);
                rows.Add(new ErrorRow(c, a, g.State, g.ErrCode, g.Count, g.FirstSeen, g.LastSeen, SendErrorAdvice.For(g.State, g.ErrCode, latest),
                    g.Recent.Select(e => new RecentSend(e.MessageId, e.Kind, e.App, e.At, e.Reason)).ToList()));
            }
        }
        rows.Sort((x, y) => y.Count != x.Count ? y.Count.CompareTo(x.Count) : y.LastSeen.CompareTo(x.LastSeen));
        return TypedResults.Ok(new ErrorsPage(now, seconds, rows));
    }
}

internal sealed record ErrorsPage(DateTimeOffset CheckedAt, int WindowSeconds, IReadOnlyList<ErrorRow> Errors);

/// <summary>One corp's (account's) errcode and state: sends in the window, first and last seen in the history, the latest sends.</summary>
internal sealed record ErrorRow(string? Corp, string? Account, string State, int? ErrCode, int Count, DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen, string Advice, IReadOnlyList<RecentSend> Recent);

internal sealed record RecentSend(string MessageId, string Kind, string? App, DateTimeOffset At, string Reason);

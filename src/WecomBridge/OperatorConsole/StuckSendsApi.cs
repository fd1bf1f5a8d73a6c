using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Sweep;

namespace WecomBridge.OperatorConsole;

/// <summary>
/// GET /api/v1/dispatch/stuck: unfinished sends (accepted, deferred, sending) whose state should have ended at least
/// `overdue` seconds ago (0–604800, default 60), oldest first, up to `limit` (1–200, default 50) per state, of the
/// corps and accounts the key may use; `sweptAt` is when the sweeper settles one (failed `lost: …`, or ambiguous when
/// a call of it may have reached WeCom). Finished ambiguous sends are in their result events and GET /messages/{id}.
/// </summary>
internal static class StuckSendsApi
{
    public const int MaxLimit = 200, MaxOverdue = 604_800;

    public static RouteGroupBuilder MapStuckSends(this RouteGroupBuilder api)
    {
        api.MapGroup("/dispatch").WithTags("Dispatch").MapGet("/stuck", Get)
            .WithSummary("Unfinished sends past the time their state should have ended, and when the sweeper settles them")
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<Results<Ok<StuckPage>, ValidationProblem>> Get(HttpContext http, string? overdue, string? limit,
        ISendStatusStore store, IOptions<SweepOptions> sweep, TimeProvider time)
    {
        if (ConsoleQuery.Number(overdue, "overdue", 0, MaxOverdue, 60, out var seconds) is { } badOverdue) return badOverdue;
        if (ConsoleQuery.Number(limit, "limit", 1, MaxLimit, 50, out var max) is { } badLimit) return badLimit;
        var now = time.GetUtcNow();
        var o = sweep.Value;
        var sends = new List<StuckSend>();
        foreach (var (state, bound) in new[]
                 { (SendStates.Accepted, o.AcceptedFor), (SendStates.Deferred, o.DeferredFor), (SendStates.Sending, o.SendingFor) })
        {
            foreach (var id in await store.ListOpenAsync(state, now.AddSeconds(-seconds), max))
            {
                if (await store.GetAsync(id) is not { } s || s.State != state || !InScope(http, s)) continue;
                var due = OpenMessages.DueOf(s) ?? s.UpdatedAt;
                sends.Add(new StuckSend(s.MessageId, s.Kind, s.Corp, s.App, s.Account, s.State, s.AcceptedAt, s.UpdatedAt, due,
                    (now - due).TotalSeconds, s.Attempts, s.ErrCode, s.Reason, o.Enabled ? due + bound : null));
            }
        }
        return TypedResults.Ok(new StuckPage(now, sends));
    }

    private static bool InScope(HttpContext http, SendStatus s) =>
        s.Account is { } account ? http.User.MayUseAccount(account) : s.Corp is { } corp && http.User.MayUseCorp(corp);
}

internal sealed record StuckPage(DateTimeOffset CheckedAt, IReadOnlyList<StuckSend> Sends);

internal sealed record StuckSend(string MessageId, string Kind, string? Corp, string? App, string? Account, string State,
    DateTimeOffset AcceptedAt, DateTimeOffset UpdatedAt, DateTimeOffset Due, double OverdueSeconds, int Attempts, int? ErrCode,
    string? Reason, DateTimeOffset? SweptAt);

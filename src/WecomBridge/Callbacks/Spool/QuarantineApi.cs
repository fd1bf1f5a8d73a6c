using Microsoft.AspNetCore.Http.HttpResults;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// GET /api/v1/gateway/quarantine: the events this gateway instance's spool quarantined (the spool is per instance),
/// oldest first, metadata only (never a body), paged by id: `after` (the last id seen, default 0) and `limit`
/// (1–1000, default 100); `next` is the `after` of the next page, null on the last.
/// </summary>
internal static class QuarantineApi
{
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapSpoolQuarantine(this RouteGroupBuilder api)
    {
        api.MapGroup("/gateway").WithTags("Gateway").MapGet("/quarantine", List)
            .WithSummary("Events this instance's spool quarantined (metadata only)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapQuarantineActions(); // inspect, replay, discard: QuarantineActionsApi.cs
        return api;
    }

    private static async Task<Results<Ok<QuarantinePage>, ProblemHttpResult>> List(EventSpool spool, string? after, string? limit)
    {
        long afterId = 0;
        var max = 100;
        if (after is not null && (!long.TryParse(after, System.Globalization.NumberStyles.None, null, out afterId)))
            return BadRequest("after must be a spool id (a non-negative integer)");
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, null, out max) || max is < 1 or > MaxLimit))
            return BadRequest($"limit must be an integer from 1 to {MaxLimit}");
        var items = await spool.ListQuarantineAsync(afterId, max);
        return TypedResults.Ok(new QuarantinePage(spool.Quarantined, items, items.Count == max ? items[^1].Id : null));
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad query", detail: detail);
}

internal sealed record QuarantinePage(long Quarantined, IReadOnlyList<QuarantinedEvent> Items, long? Next);

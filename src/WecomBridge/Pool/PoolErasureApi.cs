using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Contracts.Pool;
using WecomBridge.Messaging;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending;
using WecomBridge.WeCom;

namespace WecomBridge.Pool;

/// <summary>
/// Erasure: removes a contact or a follower from the pool, leaves a tombstone so that older events still in flight do
/// not bring them back, and publishes ContactErased for CRMs. 204: the pool held the person and no longer does; 202:
/// it holds nothing of them (never did, purged, or erased before), the erasure is recorded all the same for events in
/// flight; 404: the corp or account is not configured. A repeat answers 202 (nothing left) and publishes again.
/// </summary>
internal static partial class PoolErasureApi
{
    public static RouteGroupBuilder MapPoolErasure(this RouteGroupBuilder api)
    {
        api.MapGroup("/pool/{corp}/contacts").RequireCorpScope().WithTags("Pool")
            .MapDelete("/{externalUserId}", EraseContact).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGroup("/pool/oa/{account}/followers").RequireAccountScope().WithTags("Pool")
            .MapDelete("/{openId}", EraseFollower).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<NoContent, Accepted, ProblemHttpResult>> EraseContact(string corp,
        [WeComId(PoolApi.IdLength)] string externalUserId, IOptionsMonitor<WeComOptions> wecom, IPoolStore store,
        IMessagePublisher events, TimeProvider time, ILogger<PoolErasureLog> logger, PoolMetrics metrics, CancellationToken ct)
    {
        var name = ConfiguredNames.Corp(wecom.CurrentValue, corp);
        if (!wecom.CurrentValue.Corps.ContainsKey(name)) return NotFound("No such corp is configured.");
        return await EraseAsync(PoolSubject.Contact(name, externalUserId), store, events, time, logger, ct, metrics);
    }

    private static async Task<Results<NoContent, Accepted, ProblemHttpResult>> EraseFollower(string account,
        [WeComId(PoolApi.IdLength)] string openId, IOptionsMonitor<OfficialAccountOptions> accounts, IPoolStore store,
        IMessagePublisher events, TimeProvider time, ILogger<PoolErasureLog> logger, PoolMetrics metrics, CancellationToken ct)
    {
        var name = ConfiguredNames.Account(accounts.CurrentValue, account);
        if (!accounts.CurrentValue.Accounts.ContainsKey(name)) return NotFound("No such Official Account is configured.");
        return await EraseAsync(PoolSubject.Follower(name, openId), store, events, time, logger, ct, metrics);
    }

    /// <summary>The pool first (its duty does not wait on the broker), then the event; a failed publish is a 5xx to repeat.</summary>
    private static async Task<Results<NoContent, Accepted, ProblemHttpResult>> EraseAsync(PoolSubject subject, IPoolStore store,
        IMessagePublisher events, TimeProvider time, ILogger logger, CancellationToken ct, PoolMetrics? metrics = null)
    {
        var at = time.GetUtcNow();
        var removed = await store.EraseAsync(subject, at, ct);
        metrics?.Erased(subject.Kind, removed);
        var contact = subject.Kind == PoolSubject.ContactKind;
        var eventId = EventIds.Of($"erased:{subject.Hash}:{at.ToUnixTimeMilliseconds()}");
        var erased = new ContactErased(eventId, subject.Kind, contact ? subject.Scope : null, contact ? subject.Id : null,
            contact ? null : subject.Scope, contact ? null : subject.Id, at);
        await events.PublishAsync(typeof(ContactErased), eventId, EventJson.Serialize(erased), CancellationToken.None);
        PoolErasureLog.Erased(logger, subject.Kind, subject.Scope, removed, eventId); // never the id: the log would keep it
        return removed ? TypedResults.NoContent() : TypedResults.Accepted((string?)null);
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}

/// <summary>Erasure logs: the kind, the corp or account and the event id, never the erased person's id.</summary>
internal sealed partial class PoolErasureLog
{
    [LoggerMessage(1854, LogLevel.Information, "Pool erased a {Kind} of {Scope} (rows removed: {Removed}); ContactErased {EventId}")]
    public static partial void Erased(ILogger logger, string kind, string scope, bool removed, string eventId);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WecomBridge.Api;

namespace WecomBridge.Pool;

/// <summary>
/// The pool as operators see it: a corp's contact (relations, tags, group chats, linked followers), a filtered page of
/// its contacts, an account's follower. Behind the API keys and their corp/account scope; read only.
/// </summary>
internal static class PoolApi
{
    public const int IdLength = 128;

    public static RouteGroupBuilder MapPoolApi(this RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/pool/{corp}/contacts").RequireCorpScope().WithTags("Pool");
        contacts.MapGet("/", List).ProducesValidationProblem();
        contacts.MapGet("/{externalUserId}", Get).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        var followers = api.MapGroup("/pool/oa/{account}/followers").RequireAccountScope().WithTags("Pool");
        followers.MapGet("/{openId}", GetFollower).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPoolErasure(); // PoolErasureApi.cs
        return api;
    }

    /// <summary>The contact; linked followers only of accounts the key may use.</summary>
    private static async Task<Results<Ok<PoolContact>, ProblemHttpResult>> Get(string corp,
        [WeComId(IdLength)] string externalUserId, ClaimsPrincipal user, IPoolStore store, CancellationToken ct)
    {
        var contact = await store.GetContactAsync(corp, externalUserId, ct);
        return contact is null
            ? NotFound("No such contact in the pool.")
            : TypedResults.Ok(contact with { Followers = [.. contact.Followers.Where(f => user.MayUseAccount(f.Account))] });
    }

    /// <summary>
    /// Contacts with an active relation matching every filter given: `state` (the channel), `tag` (a corp tag id),
    /// `addedAfter` (ISO 8601); `limit` per page (default 100); `after`: the `next` of the previous page.
    /// </summary>
    private static async Task<Results<Ok<PoolContactPage>, ValidationProblem>> List(string corp, string? state, string? tag,
        string? addedAfter, string? limit, string? after, HttpRequest request, IOptions<PoolOptions> options, IPoolStore store,
        CancellationToken ct)
    {
        var given = (state, tag, addedAfter, limit, after);
        if (!PoolQuery.TryParse(corp, request.Query, given, options.Value.MaxPageSize, out var query, out var errors))
            return TypedResults.ValidationProblem(errors);
        var items = await store.ListContactsAsync(query with { Limit = query.Limit + 1 }, ct);
        var next = items.Count > query.Limit ? PoolQuery.Cursor(items[query.Limit - 1].ExternalUserId) : null;
        return TypedResults.Ok(new PoolContactPage([.. items.Take(query.Limit)], next));
    }

    private static async Task<Results<Ok<PoolFollower>, ProblemHttpResult>> GetFollower(string account, [WeComId(IdLength)] string openId,
        IPoolStore store, CancellationToken ct) =>
        await store.GetFollowerAsync(account, openId, ct) is { } follower ? TypedResults.Ok(follower) : NotFound("No such follower in the pool.");

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}

/// <summary>A page of contacts; Next (opaque) asks for the following page, null on the last one.</summary>
public sealed record PoolContactPage(IReadOnlyList<PoolContactSummary> Items, string? Next);

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WecomBridge.Api;

namespace WecomBridge.Resync;

/// <summary>
/// Re-sync for CRMs: POST starts a background walk of a corp's contacts, group chats or tags, or an account's
/// followers (202 + Location); GET shows its progress. One run per corp/account and scope: a second request
/// while one runs is 409 with the running one's id and Location.
/// </summary>
internal static class ResyncApi
{
    public static RouteGroupBuilder MapResync(this RouteGroupBuilder api)
    {
        var resync = api.MapGroup("/resync").WithTags("Resync");
        resync.MapPost("/", Start).ProducesValidationProblem();
        resync.MapGet("/{id}", Get).WithName(ProgressRoute);
        return api;
    }

    private const string ProgressRoute = "GetResync";

    private static async Task<Results<AcceptedAtRoute<ResyncProgress>, ProblemHttpResult>> Start(
        ResyncRequest body, ClaimsPrincipal user, IResyncStore store, ResyncRunner runner, TimeProvider time, HttpResponse response)
    {
        if (body.Corp is { } corp && !user.MayUseCorp(corp)) return ApiClaims.OutOfScope("corp");
        if (body.Account is { } account && !user.MayUseAccount(account)) return ApiClaims.OutOfScope("account");

        var run = new ResyncProgress(Guid.NewGuid().ToString("N"), body.Scope!, body.Corp, body.Account, ResyncProgress.Running,
            0, 0, time.GetUtcNow(), null, null);
        if (await store.TryStartAsync(run) is { } runningId)
        {
            response.Headers.Location = $"/api/v1/resync/{runningId}";
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A re-sync of this scope is running",
                detail: "Follow the running one (Location) instead of starting another.",
                extensions: new Dictionary<string, object?> { ["resyncId"] = runningId });
        }
        runner.Enqueue(new ResyncJob(run, [.. (body.UserIds ?? []).Select(id => id!)]));
        return TypedResults.AcceptedAtRoute(run, ProgressRoute, new { id = run.Id });
    }

    /// <summary>404 for an unknown id and for a run outside the key's scope alike.</summary>
    private static async Task<Results<Ok<ResyncProgress>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IResyncStore store)
    {
        var run = id.Length == 32 && id.All(char.IsAsciiHexDigitLower) ? await store.GetAsync(id) : null;
        var visible = run is not null && (run.Corp is { } corp ? user.MayUseCorp(corp) : user.MayUseAccount(run.Account!));
        return visible
            ? TypedResults.Ok(run!)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such re-sync.");
    }
}

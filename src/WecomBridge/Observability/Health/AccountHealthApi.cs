using Microsoft.AspNetCore.Http.HttpResults;
using WecomBridge.Api;

namespace WecomBridge.Observability.Health;

/// <summary>
/// GET /api/v1/health/accounts: per corp, app and Official Account the key may use, whether its token fetch works
/// (errcode and advice when not), when its callback URL was last heard from, and the send pauses that hold it back.
/// `corp` or `account` narrows it to one (403 outside the key's scope, as for every /api/v1 route).
/// </summary>
internal static class AccountHealthApi
{
    private const int MaxName = 64;

    public static RouteGroupBuilder MapAccountHealth(this RouteGroupBuilder api)
    {
        api.MapGroup("/health").WithTags("Health").MapGet("/accounts", Get)
            .WithSummary("Health per corp, app and account: token fetch, callbacks heard, send pauses, with advice")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<Results<Ok<AccountHealthPage>, ProblemHttpResult>> Get(
        HttpContext context, AccountHealthReport report, string? corp, string? account)
    {
        if (corp is not null && !IsName(corp)) return BadRequest("corp", $"corp must be a configured corp name (1–{MaxName} characters)");
        if (account is not null && !IsName(account))
            return BadRequest("account", $"account must be a configured account name (1–{MaxName} characters)");
        if (corp is not null && account is not null) return BadRequest("account", "give corp or account, not both");
        var user = context.User;
        if (corp is not null && !user.MayUseCorp(corp)) return ApiClaims.OutOfScope("corp");
        if (account is not null && !user.MayUseAccount(account)) return ApiClaims.OutOfScope("account");
        // With a filter on one side the other side is left out: the caller asked about one corp or one account.
        var page = await report.BuildAsync(
            c => account is null && user.MayUseCorp(c) && (corp is null || string.Equals(c, corp, StringComparison.OrdinalIgnoreCase)),
            a => corp is null && user.MayUseAccount(a) && (account is null || string.Equals(a, account, StringComparison.OrdinalIgnoreCase)));
        return TypedResults.Ok(page);
    }

    private static bool IsName(string value) =>
        value.Length is > 0 and <= MaxName && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static ProblemHttpResult BadRequest(string field, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Bad query", detail: detail,
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}

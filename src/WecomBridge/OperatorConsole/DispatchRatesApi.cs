using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.OfficialAccount;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Limits;
using WecomBridge.WeCom;

namespace WecomBridge.OperatorConsole;

/// <summary>
/// GET /api/v1/dispatch/rates: per corp (account) the key may use and per paced API, its limit, the calls that left in
/// the last window, how far ahead its next free slot is reserved, and the throttle pause that holds it (with advice).
/// `corp` or `account` narrows it to one (400 for a malformed name, 403 outside the key's scope).
/// </summary>
internal static class DispatchRatesApi
{
    /// <summary>The paced APIs by platform (Dispatch:*:Apis names them by <see cref="ApiNames"/>).</summary>
    private static readonly string[] WeComPaths =
    [
        "externalcontact/add_msg_template", "externalcontact/send_welcome_msg", "externalcontact/add_moment_task", "message/send",
        "externalcontact/batch/get_by_user", "externalcontact/groupchat/list", "externalcontact/groupchat/get",
        "externalcontact/get_corp_tag_list", "user/get", "user/info",
    ];

    private static readonly string[] AccountPaths = ["message/template/send", "message/custom/send"];

    public static RouteGroupBuilder MapDispatchRates(this RouteGroupBuilder api)
    {
        api.MapGroup("/dispatch").WithTags("Dispatch").MapGet("/rates", Get)
            .WithSummary("Calls per window against each paced API's limit, per corp and account, with throttle pauses")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<Results<Ok<RatesPage>, ProblemHttpResult>> Get(HttpContext http, string? corp, string? account,
        IRateLimiter limiter, ApiLimits limits, IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<OfficialAccountOptions> oa,
        ISendPauseStore pauses, TimeProvider time)
    {
        if (corp is not null && !ConsoleQuery.IsName(corp))
            return BadRequest("corp", $"corp must be a configured corp name (1–{ConsoleQuery.MaxName} characters)");
        if (account is not null && !ConsoleQuery.IsName(account))
            return BadRequest("account", $"account must be a configured account name (1–{ConsoleQuery.MaxName} characters)");
        if (corp is not null && account is not null) return BadRequest("account", "give corp or account, not both");
        var user = http.User;
        if (corp is not null && !user.MayUseCorp(corp)) return ApiClaims.OutOfScope("corp");
        if (account is not null && !user.MayUseAccount(account)) return ApiClaims.OutOfScope("account");

        var corps = wecom.CurrentValue.Corps.Keys.Where(c => account is null && user.MayUseCorp(c) && ConsoleQuery.Same(c, corp ?? c));
        var accounts = oa.CurrentValue.Accounts.Keys.Where(a => corp is null && user.MayUseAccount(a) && ConsoleQuery.Same(a, account ?? a));
        var buckets = corps.Order(StringComparer.Ordinal)
            .SelectMany(c => WeComPaths.Select(p => new Row(c, null, p, limits.ForCorp(c, p))))
            .Concat(accounts.Order(StringComparer.Ordinal)
                .SelectMany(a => AccountPaths.Select(p => new Row(null, a, p, limits.ForAccount(a, p)))))
            .ToList();
        var now = time.GetUtcNow();
        var throttles = (await pauses.AllAsync()).Where(p => p.Cause != PauseCauses.Configuration && p.Until > now)
            .GroupBy(p => p.Scope).ToDictionary(g => g.Key, g => g.First());
        var uses = await Task.WhenAll(buckets.Select(b => BucketUse.ReadAsync(limiter, http.RequestServices, b.Bucket)));
        var rates = buckets.Select((b, i) =>
        {
            var pause = throttles.GetValueOrDefault(b.Bucket.Key);
            return new BucketRate(b.Bucket.Key, b.Corp, b.Account, ApiNames.Of(b.Path), b.Bucket.Limit.Permits,
                b.Bucket.Limit.Window.TotalSeconds, uses[i].Departed, uses[i].ReservedAhead.TotalSeconds,
                pause is null ? null : new BucketPause(pause.Cause, pause.ErrCode, pause.Until, pause.Advice));
        }).ToList();
        return TypedResults.Ok(new RatesPage(now, rates));
    }

    private sealed record Row(string? Corp, string? Account, string Path, RateBucket Bucket);

    private static ProblemHttpResult BadRequest(string field, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Bad query", detail: detail,
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}

internal sealed record RatesPage(DateTimeOffset CheckedAt, IReadOnlyList<BucketRate> Buckets);

/// <summary>One paced bucket: `departed` calls of `permits` in the last `windowSeconds`; `pause` while a throttle holds it.</summary>
internal sealed record BucketRate(string Bucket, string? Corp, string? Account, string Api, int Permits, double WindowSeconds,
    int Departed, double ReservedAheadSeconds, BucketPause? Pause);

internal sealed record BucketPause(string Cause, int? ErrCode, DateTimeOffset Until, string Advice);

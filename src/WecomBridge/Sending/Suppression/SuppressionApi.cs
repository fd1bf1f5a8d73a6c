using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Api;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Suppression;

/// <summary>
/// Operators edit the suppression list the dispatcher honours: a WeCom customer for one member (`?userId=`) or for
/// every member (no userId), or an Official Account follower. PUT 204, GET 200 or 404, DELETE 204 or 404. A PUT or
/// DELETE counts at its request time against the events' changes (<see cref="ISuppressionList"/>); the corp or
/// account is taken as configured (<see cref="ConfiguredNames"/>: `Acme` and `acme` are one list).
/// </summary>
internal static class SuppressionApi
{
    public static RouteGroupBuilder MapSuppressions(this RouteGroupBuilder api)
    {
        var wecom = api.MapGroup("/wecom/{corp}/suppressions/{externalUserId}").RequireCorpScope().WithTags("Suppressions");
        wecom.MapPut("/", PutCustomer).ProducesValidationProblem();
        wecom.MapGet("/", GetCustomer).ProducesValidationProblem();
        wecom.MapDelete("/", DeleteCustomer).ProducesValidationProblem();

        var oa = api.MapGroup("/oa/{account}/suppressions/{openId}").RequireAccountScope().WithTags("Suppressions");
        oa.MapPut("/", PutFollower).ProducesValidationProblem();
        oa.MapGet("/", GetFollower).ProducesValidationProblem();
        oa.MapDelete("/", DeleteFollower).ProducesValidationProblem();
        return api;
    }

    private const string DefaultReason = "operator";

    private static string Customer(string externalUserId, string? userId) =>
        userId is null ? SuppressionScopes.AnyMember(externalUserId) : SuppressionScopes.Pair(userId, externalUserId);

    private static string Scope(IOptionsMonitor<WeComOptions> wecom, string corp) =>
        SuppressionScopes.WeCom(ConfiguredNames.Corp(wecom.CurrentValue, corp));

    private static string Scope(IOptionsMonitor<OfficialAccountOptions> accounts, string account) =>
        SuppressionScopes.Account(ConfiguredNames.Account(accounts.CurrentValue, account));

    private static async Task<NoContent> PutCustomer(string corp, [WeComId(SendLimits.ExternalUserId)] string externalUserId,
        [WeComId(SendLimits.UserId)] string? userId, SuppressRequest? body,
        ISuppressionList list, TimeProvider time, IOptionsMonitor<WeComOptions> wecom)
    {
        await list.AddAsync(Scope(wecom, corp), Customer(externalUserId, userId), body?.Reason ?? DefaultReason, time.GetUtcNow());
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SuppressionEntry>, ProblemHttpResult>> GetCustomer(string corp,
        [WeComId(SendLimits.ExternalUserId)] string externalUserId, [WeComId(SendLimits.UserId)] string? userId, ISuppressionList list,
        IOptionsMonitor<WeComOptions> wecom) =>
        await list.FindAsync(Scope(wecom, corp), Customer(externalUserId, userId)) is { } found
            ? TypedResults.Ok(new SuppressionEntry(found.Reason, found.At))
            : NotFound();

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCustomer(string corp,
        [WeComId(SendLimits.ExternalUserId)] string externalUserId, [WeComId(SendLimits.UserId)] string? userId, ISuppressionList list,
        TimeProvider time, IOptionsMonitor<WeComOptions> wecom) =>
        await list.RemoveAsync(Scope(wecom, corp), Customer(externalUserId, userId), time.GetUtcNow()) ? TypedResults.NoContent() : NotFound();

    private static async Task<NoContent> PutFollower(string account, [WeComId(SendLimits.OpenId)] string openId,
        SuppressRequest? body, ISuppressionList list, TimeProvider time, IOptionsMonitor<OfficialAccountOptions> accounts)
    {
        await list.AddAsync(Scope(accounts, account), openId, body?.Reason ?? DefaultReason, time.GetUtcNow());
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SuppressionEntry>, ProblemHttpResult>> GetFollower(string account,
        [WeComId(SendLimits.OpenId)] string openId, ISuppressionList list, IOptionsMonitor<OfficialAccountOptions> accounts) =>
        await list.FindAsync(Scope(accounts, account), openId) is { } found
            ? TypedResults.Ok(new SuppressionEntry(found.Reason, found.At))
            : NotFound();

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteFollower(string account,
        [WeComId(SendLimits.OpenId)] string openId, ISuppressionList list, TimeProvider time, IOptionsMonitor<OfficialAccountOptions> accounts) =>
        await list.RemoveAsync(Scope(accounts, account), openId, time.GetUtcNow()) ? TypedResults.NoContent() : NotFound();

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The recipient is not suppressed.");
}

/// <summary>PUT …/suppressions/…: why (default "operator").</summary>
public sealed record SuppressRequest([property: MaxLength(SendLimits.SuppressionReason)] string? Reason) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Reason is not null && (Reason.Length == 0 || Reason.Any(char.IsControl)))
            yield return new("reason must be non-empty text without control characters.", ["reason"]);
    }
}

/// <summary>A suppressed recipient: why, and since when.</summary>
public sealed record SuppressionEntry(string Reason, DateTimeOffset At);

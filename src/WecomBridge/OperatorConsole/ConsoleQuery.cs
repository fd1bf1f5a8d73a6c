using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Errors;
using WecomBridge.WeCom;

namespace WecomBridge.OperatorConsole;

/// <summary>
/// The query of the error and ambiguous-send routes: `corp` or `account` (one, a configured name the key may use: 400 for
/// a malformed one or both, 403 outside the key's scope) and bounded integers; every 400 names its field.
/// </summary>
internal static class ConsoleQuery
{
    public const int MaxName = 64;

    /// <summary>The scopes (<see cref="SendError.ScopeOf"/>) the query asks for, or the problem that refuses it.</summary>
    public static IResult? Scopes(ClaimsPrincipal user, string? corp, string? account, IOptionsMonitor<WeComOptions> wecom,
        IOptionsMonitor<OfficialAccountOptions> oa, out List<(string? Corp, string? Account)> scopes)
    {
        scopes = [];
        if (corp is not null && !IsName(corp)) return Invalid("corp", $"corp must be a configured corp name (1–{MaxName} characters)");
        if (account is not null && !IsName(account))
            return Invalid("account", $"account must be a configured account name (1–{MaxName} characters)");
        if (corp is not null && account is not null) return Invalid("account", "give corp or account, not both");
        if (corp is not null && !user.MayUseCorp(corp)) return ApiClaims.OutOfScope("corp");
        if (account is not null && !user.MayUseAccount(account)) return ApiClaims.OutOfScope("account");
        scopes.AddRange(wecom.CurrentValue.Corps.Keys.Where(c => account is null && user.MayUseCorp(c) && Same(c, corp ?? c))
            .Order(StringComparer.Ordinal).Select(c => ((string?)c, (string?)null)));
        scopes.AddRange(oa.CurrentValue.Accounts.Keys.Where(a => corp is null && user.MayUseAccount(a) && Same(a, account ?? a))
            .Order(StringComparer.Ordinal).Select(a => ((string?)null, (string?)a)));
        return null;
    }

    public static ValidationProblem? Number(string? text, string field, int min, int max, int fallback, out int value)
    {
        value = fallback;
        if (text is null) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max ? null
            : Invalid(field, $"{field} must be an integer from {min} to {max}");
    }

    private static ValidationProblem Invalid(string field, string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] });

    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static bool IsName(string value) =>
        value.Length is > 0 and <= MaxName && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

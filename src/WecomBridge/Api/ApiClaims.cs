using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WecomBridge.Api;

/// <summary>Claims of an authenticated API key: its name and the corps and accounts it may use.</summary>
internal static class ApiClaims
{
    public const string KeyName = "wb:key";
    public const string Corp = "wb:corp";
    public const string Account = "wb:account";

    // Names compare as configuration keys do (ignoring case): a key listing `acme` may use the corp `Acme`.
    public static bool MayUseCorp(this ClaimsPrincipal user, string corp) => user.HasClaim(c => c.Type == Corp && SameName(c.Value, corp));

    public static bool MayUseAccount(this ClaimsPrincipal user, string account) =>
        user.HasClaim(c => c.Type == Account && SameName(c.Value, account));

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>403 problem details for a corp or account outside the key's scope (also for unknown ones: no probing).</summary>
    public static ProblemHttpResult OutOfScope(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: $"The API key may not use this {what}.");
}

using System.Security.Claims;
using Microsoft.Extensions.Options;
using WecomBridge.Api;

namespace WecomBridge.DeadLetters;

/// <summary>
/// The routes that act on what the bridge set aside (dead letters, the spool's quarantine) serve the API keys named in
/// DeadLetters:OperatorKeys, or every key when that list is empty; other keys get 403. The acting key's name is the
/// audit events' actor.
/// </summary>
internal static class OperatorKeys
{
    public static RouteGroupBuilder RequireOperatorKey(this RouteGroupBuilder group) => group.AddEndpointFilter((context, next) =>
    {
        var http = context.HttpContext;
        var allowed = http.RequestServices.GetRequiredService<IOptions<DeadLetterOptions>>().Value.OperatorKeys;
        return allowed.Count == 0 || allowed.Contains(Actor(http.User), StringComparer.OrdinalIgnoreCase)
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "The API key is not one of DeadLetters:OperatorKeys."));
    });

    public static string Actor(ClaimsPrincipal user) => user.FindFirstValue(ApiClaims.KeyName) ?? "";
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WecomBridge.Api;

/// <summary>
/// Scheme "ApiKey": `Authorization: Bearer &lt;key&gt;`, hashed with SHA-256 and compared with every configured
/// KeyHash in constant time. The principal carries the key's name, corps and accounts. Keys and hashes are never logged.
/// </summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptionsMonitor<SendApiOptions> keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const int MaxKeyLength = 512;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > MaxKeyLength) return Task.FromResult(AuthenticateResult.Fail("malformed API key"));

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        ApiKeyOptions? match = null;
        foreach (var candidate in keys.CurrentValue.ApiKeys)
        {
            // Every key is compared (no early exit), each comparison in constant time.
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(candidate.KeyHash)) && match is null) match = candidate;
        }
        if (match is null) return Task.FromResult(AuthenticateResult.Fail("unknown API key"));

        var claims = new List<Claim> { new(ApiClaims.KeyName, match.Name) };
        claims.AddRange(match.Corps.Select(corp => new Claim(ApiClaims.Corp, corp)));
        claims.AddRange(match.Accounts.Select(account => new Claim(ApiClaims.Account, account)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ApiClaims.KeyName, null));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteAsync("Unauthorized", "Send `Authorization: Bearer <api key>` with a configured key.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteAsync("Forbidden", "The API key may not use this resource.");
    }

    private async Task WriteAsync(string title, string detail)
    {
        var context = new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        };
        if (!await problems.TryWriteAsync(context)) await Response.WriteAsJsonAsync(context.ProblemDetails);
    }
}

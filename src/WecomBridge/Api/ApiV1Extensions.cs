using WecomBridge.Sending.Api;

namespace WecomBridge.Api;

/// <summary>
/// The operator API under /api/v1: API-key authentication once on the group, problem details for every error.
/// Features map their endpoints on the group that <see cref="MapApiV1"/> returns (e.g. `app.MapApiV1().MapCrm()`).
/// </summary>
internal static class ApiV1Extensions
{
    public const string Policy = "ApiKey";

    /// <summary>Authentication by the API keys of `SendApi:ApiKeys` (registered with the send API's settings), validation, OpenAPI.</summary>
    public static IHostApplicationBuilder AddApiV1(this IHostApplicationBuilder builder)
    {
        builder.AddSendApiOptions(); // the API keys
        builder.Services.AddAuthentication(ApiKeyHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(ApiKeyHandler.SchemeName).RequireAuthenticatedUser());
        builder.Services.AddValidation();
        builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", ApiOpenApi.Configure);
        return builder;
    }

    public static RouteGroupBuilder MapApiV1(this WebApplication app)
    {
        ApiBodyLimit.Use(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app.MapGroup("/api/v1")
            .RequireAuthorization(Policy)
            .WithMetadata(new ApiBodyLimit())
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>Endpoints under a group whose route has {corp}: 403 unless the key may use that corp.</summary>
    public static RouteGroupBuilder RequireCorpScope(this RouteGroupBuilder group) => group.AddEndpointFilter((context, next) =>
        context.HttpContext.GetRouteValue("corp") is string corp && context.HttpContext.User.MayUseCorp(corp)
            ? next(context)
            : ValueTask.FromResult<object?>(ApiClaims.OutOfScope("corp")));

    /// <summary>Endpoints under a group whose route has {account}: 403 unless the key may use that account.</summary>
    public static RouteGroupBuilder RequireAccountScope(this RouteGroupBuilder group) => group.AddEndpointFilter((context, next) =>
        context.HttpContext.GetRouteValue("account") is string account && context.HttpContext.User.MayUseAccount(account)
            ? next(context)
            : ValueTask.FromResult<object?>(ApiClaims.OutOfScope("account")));
}

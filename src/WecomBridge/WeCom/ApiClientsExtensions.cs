using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WecomBridge.Hosting;
using WecomBridge.OfficialAccount;
using WecomBridge.RateLimits;
using WecomBridge.Storage;
using WecomBridge.WeCom.Tokens;

namespace WecomBridge.WeCom;

/// <summary>
/// The typed WeCom and Official Account clients, their pipelines and the shared token cache (Redis when
/// ConnectionStrings:Redis is set, else in memory). Resolve <see cref="WeComClient"/> or <see cref="OfficialAccountClient"/>
/// and a credential from <see cref="WeComCredentials"/> / <see cref="OfficialAccountCredentials"/>. The clients own the
/// `WeCom` and `OfficialAccounts` settings (credentials, base URLs) and register them.
/// </summary>
internal static class ApiClientsExtensions
{
    public static readonly Uri DefaultWeComBaseUrl = new("https://qyapi.weixin.qq.com/");
    public static readonly Uri DefaultOfficialAccountBaseUrl = new("https://api.weixin.qq.com/");

    /// <summary>Idempotent: features of both roles call the APIs, and each registers what it uses.</summary>
    public static IHostApplicationBuilder AddApiClients(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(AccessTokenCache))) return builder;
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<WeComOptions, WeComOptionsValidator>(WeComOptions.Section);
        services.AddValidatedOptions<OfficialAccountOptions, OfficialAccountOptionsValidator>(OfficialAccountOptions.Section);
        services.AddOptions<ApiClientOptions>().BindConfiguration(ApiClientOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiClientOptions>, ApiClientOptionsValidator>();
        if (builder.Configuration.UsesRedis()) services.AddSingleton<IAccessTokenStore, RedisAccessTokenStore>();
        else services.AddSingleton<IAccessTokenStore, InMemoryAccessTokenStore>();
        services.AddSingleton<AccessTokenCache>();
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<DepartureSpreads>();
        services.AddSingleton<WeComCredentials>();
        services.AddSingleton<OfficialAccountCredentials>();
        services.AddApiPipelines();

        // No resilience handler on these clients: the pipelines run around whole calls, where the errcode is known.
        services.AddHttpClient<WeComClient>((sp, http) =>
            http.BaseAddress = WithSlash(sp.GetRequiredService<IOptions<WeComOptions>>().Value.BaseUrl ?? DefaultWeComBaseUrl))
            .AddHttpMessageHandler(Pacing);
        services.AddHttpClient<OfficialAccountClient>((sp, http) =>
            http.BaseAddress = WithSlash(sp.GetRequiredService<IOptions<OfficialAccountOptions>>().Value.BaseUrl ?? DefaultOfficialAccountBaseUrl))
            .AddHttpMessageHandler(Pacing);
        return builder;
    }

    /// <summary>
    /// Retries and concurrency of paced calls (the dispatcher's sends). Its waits take at most half an attempt's
    /// timeout, and with the store calls around them three quarters, leaving the rest to the call; a slot's lease
    /// outlasts the attempt.
    /// </summary>
    private static ApiPacingHandler Pacing(IServiceProvider sp)
    {
        var attempt = sp.GetRequiredService<IOptions<ApiClientOptions>>().Value.AttemptTimeout;
        return new ApiPacingHandler(sp.GetService<IRateLimiter>(), sp.GetService<IConcurrencySlots>(), sp.GetRequiredService<DepartureSpreads>(),
            sp.GetRequiredService<TimeProvider>(), attempt / 2, attempt + TimeSpan.FromSeconds(5));
    }

    /// <summary>Relative paths ("cgi-bin/…") then keep any path the base URL has.</summary>
    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}

using StackExchange.Redis;
using WecomBridge.Storage;
using WecomBridge.WeCom;

namespace WecomBridge.Observability.Health;

/// <summary>The account health record (Redis next to the tokens, or memory), its report, and the readiness check "accounts".</summary>
internal static class AccountHealthExtensions
{
    public static IHostApplicationBuilder AddAccountHealth(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (builder.Configuration.UsesRedis())
        {
            var prefix = builder.Configuration[$"{ApiClientOptions.Section}:{nameof(ApiClientOptions.TokenKeyPrefix)}"]
                ?? new ApiClientOptions().TokenKeyPrefix;
            services.AddSingleton<IAccountHealthStore>(sp =>
                new RedisAccountHealthStore(sp.GetRequiredService<IConnectionMultiplexer>(), prefix + "health"));
        }
        else services.AddSingleton<IAccountHealthStore, InMemoryAccountHealthStore>();
        services.AddSingleton<AccountHealthMarks>();
        services.AddSingleton<AccountHealthReport>();
        services.AddHealthChecks().AddCheck<AccountHealthCheck>("accounts", tags: ["ready"]);
        return builder;
    }
}

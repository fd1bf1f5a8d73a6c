using StackExchange.Redis;
using WecomBridge.Storage;

namespace WecomBridge.Dispatch;

/// <summary>The dispatcher's shared pieces: rate limits shared by all instances (Redis) or in memory.</summary>
internal static class DispatchExtensions
{
    public static IHostApplicationBuilder AddDispatch(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.UsesRedis())
            builder.Services.AddSingleton<IRateLimiter>(sp => new RedisRateLimiter(sp.GetRequiredService<IConnectionMultiplexer>()));
        else
            builder.Services.AddSingleton<IRateLimiter, InMemoryRateLimiter>();
        return builder;
    }
}

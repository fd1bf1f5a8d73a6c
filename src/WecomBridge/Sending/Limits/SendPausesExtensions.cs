using StackExchange.Redis;
using WecomBridge.Hosting;
using WecomBridge.Storage;

namespace WecomBridge.Sending.Limits;

/// <summary>The dispatcher's send pauses: shared by all instances (Redis) or in memory, and the readiness check "sending".</summary>
internal static class SendPausesExtensions
{
    public static IHostApplicationBuilder AddSendPauses(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SendPauseOptions, SendPauseOptionsValidator>(SendPauseOptions.Section);
        if (builder.Configuration.UsesRedis())
            services.AddSingleton<ISendPauseStore>(sp => new RedisSendPauseStore(sp.GetRequiredService<IConnectionMultiplexer>()));
        else
            services.AddSingleton<ISendPauseStore, InMemorySendPauseStore>();
        services.AddSingleton<SendPauses>();
        services.AddHealthChecks().AddCheck<SendPausesHealthCheck>("sending", tags: ["ready"]);
        return builder;
    }
}

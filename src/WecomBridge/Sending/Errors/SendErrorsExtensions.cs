using StackExchange.Redis;
using WecomBridge.Hosting;
using WecomBridge.Storage;

namespace WecomBridge.Sending.Errors;

/// <summary>The dispatcher's error history: shared by all instances (Redis) or in memory.</summary>
internal static class SendErrorsExtensions
{
    public static IHostApplicationBuilder AddSendErrors(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SendErrorOptions, SendErrorOptionsValidator>(SendErrorOptions.Section);
        if (builder.Configuration.UsesRedis())
            services.AddSingleton<ISendErrorStore>(sp => new RedisSendErrorStore(sp.GetRequiredService<IConnectionMultiplexer>()));
        else
            services.AddSingleton<ISendErrorStore, InMemorySendErrorStore>();
        services.AddSingleton<SendErrorHistory>();
        return builder;
    }
}

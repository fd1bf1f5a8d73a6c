using WecomBridge.Storage;
using WecomBridge.WeCom;

namespace WecomBridge.Resync;

internal static class ResyncExtensions
{
    /// <summary>Options, the store (Redis when ConnectionStrings:Redis is set, else in memory) and the background runner.</summary>
    public static IHostApplicationBuilder AddResync(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddApiClients();
        services.AddOptions<ResyncOptions>().BindConfiguration(ResyncOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.UsesRedis()) services.AddSingleton<IResyncStore, RedisResyncStore>();
        else services.AddSingleton<IResyncStore, InMemoryResyncStore>();
        services.AddSingleton<ResyncRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<ResyncRunner>());
        return builder;
    }
}

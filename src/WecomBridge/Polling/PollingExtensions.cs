using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Storage;
using WecomBridge.WeCom;

namespace WecomBridge.Polling;

/// <summary>Polling of what has no callback (customer moments).</summary>
internal static class PollingExtensions
{
    public static IHostApplicationBuilder AddPolling(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddApiClients();
        services.AddOptions<MomentPollingOptions>().BindConfiguration(MomentPollingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MomentPollingOptions>, MomentPollingOptionsValidator>();
        if (builder.Configuration.UsesRedis())
            services.AddSingleton<IMomentState>(sp => new RedisMomentState(sp.GetRequiredService<IConnectionMultiplexer>()));
        else
            services.AddSingleton<IMomentState, InMemoryMomentState>();
        if (builder.Configuration.GetValue(MomentPollingOptions.Section + ":Enabled", true))
            services.AddHostedService<MomentPoller>();
        return builder;
    }
}

using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Callbacks.Dedupe;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Hosting;
using WecomBridge.OfficialAccount;
using WecomBridge.Storage;
using WecomBridge.WeCom;

namespace WecomBridge.Callbacks;

/// <summary>The gateway's callback intake: endpoints, dedupe, publisher, spool and its forwarder.</summary>
internal static class CallbacksExtensions
{
    public static IHostApplicationBuilder AddCallbacks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        // The callback tokens and AES keys of each corp's apps and each account (the API clients register them too).
        services.AddValidatedOptions<WeComOptions, WeComOptionsValidator>(WeComOptions.Section);
        services.AddValidatedOptions<OfficialAccountOptions, OfficialAccountOptionsValidator>(OfficialAccountOptions.Section);
        services.AddSingleton<CallbackSources>();
        if (builder.Configuration.UsesRedis())
            services.AddSingleton<ICallbackDedupe>(sp => new RedisCallbackDedupe(sp.GetRequiredService<IConnectionMultiplexer>()));
        else
            services.AddSingleton<ICallbackDedupe, InMemoryCallbackDedupe>();
        services.AddSingleton<EventSpool>();
        services.AddSingleton<EventIntake>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<ClockSkew>();
        services.AddHostedService<SpoolForwarder>();
        services.AddHealthChecks()
            .AddCheck<SpoolHealthCheck>("spool", tags: ["ready"])
            .AddCheck<ClockSkew>("clock", tags: ["ready"]);
        return builder;
    }

    public static IEndpointRouteBuilder MapCallbacks(this IEndpointRouteBuilder app)
    {
        // Build the intake (with the Redis connection and the spool) now, not under the first burst of callbacks:
        // requests racing to build a singleton would block thread-pool threads while Redis connects.
        _ = app.ServiceProvider.GetRequiredService<EventIntake>();
        _ = app.ServiceProvider.GetRequiredService<CallbackSources>();
        if (app is IApplicationBuilder pipeline) pipeline.UseCallbackFailureGuard();
        var callbacks = app.MapGroup("/callbacks").WithTags("Callbacks").DisableValidation(); // no validation filter on the hot path
        callbacks.MapGet("/wecom/{corp}/{app}", WeComCallbacks.VerifyUrl).WithSummary("WeCom URL verification");
        callbacks.MapPost("/wecom/{corp}/{app}", WeComCallbacks.Receive).WithSummary("WeCom event callback");
        callbacks.MapGet("/oa/{account}", OfficialAccountCallbacks.VerifyUrl).WithSummary("Official Account URL verification");
        callbacks.MapPost("/oa/{account}", OfficialAccountCallbacks.Receive).WithSummary("Official Account event callback");
        return app;
    }
}

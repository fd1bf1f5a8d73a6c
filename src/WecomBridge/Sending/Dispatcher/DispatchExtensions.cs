using MassTransit;
using StackExchange.Redis;
using WecomBridge.Messaging;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Audience;
using WecomBridge.Sending.Errors;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.Sending.Sweep;
using WecomBridge.Sending.Welcome;
using WecomBridge.Storage;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>The dispatcher's shared pieces: rate limits and customer caps shared by all instances (Redis) or in memory, and send policy.</summary>
internal static class DispatchExtensions
{
    public static IHostApplicationBuilder AddDispatch(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddApiClients();
        services.AddOptions<SendPolicyOptions>().BindConfiguration("Dispatch:Defaults").ValidateOnStart();
        // Each corp: the defaults, then what Dispatch:Corps:{corp} overrides (IOptionsMonitor.Get(corp)).
        foreach (var corp in builder.Configuration.GetSection("WeCom:Corps").GetChildren().Select(c => c.Key))
            services.AddOptions<SendPolicyOptions>(corp).BindConfiguration("Dispatch:Defaults")
                .BindConfiguration($"Dispatch:Corps:{corp}").ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SendPolicyOptions>, SendPolicyOptionsValidator>();
        builder.AddApiLimits();
        services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DispatchOptions>, DispatchOptionsValidator>();
        if (builder.Configuration.UsesRedis())
        {
            services.AddSingleton<IRateLimiter>(sp => new RedisRateLimiter(sp.GetRequiredService<IConnectionMultiplexer>()));
            services.AddSingleton<IConcurrencySlots>(sp => new RedisConcurrencySlots(sp.GetRequiredService<IConnectionMultiplexer>()));
            services.AddSingleton<ICapStore>(sp => new RedisCapStore(sp.GetRequiredService<IConnectionMultiplexer>()));
            services.AddSingleton<ISuppressionList>(sp => new RedisSuppressionList(sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DispatchOptions>>().Value.SuppressionTombstoneRetention));
            services.AddSingleton<ISendStatusStore>(sp => new RedisSendStatusStore(sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DispatchOptions>>().Value.StatusRetention));
            services.AddSingleton<IAudienceLedger>(sp => new RedisAudienceLedger(sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DispatchOptions>>().Value.StatusRetention));
        }
        else
        {
            // One process: the departure check reads the in-memory throttle pauses (Redis: the same key).
            services.AddSingleton<IRateLimiter>(sp => new InMemoryRateLimiter(sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ISendPauseStore>() is InMemorySendPauseStore pauses ? pauses.ThrottledUntil : null));
            services.AddSingleton<IConcurrencySlots, InMemoryConcurrencySlots>();
            services.AddSingleton<ICapStore, InMemoryCapStore>();
            services.AddSingleton<ISuppressionList>(sp => new InMemorySuppressionList(sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DispatchOptions>>().Value.SuppressionTombstoneRetention));
            services.AddSingleton<ISendStatusStore, InMemorySendStatusStore>();
            services.AddSingleton<IAudienceLedger, InMemoryAudienceLedger>();
        }
        builder.AddSendPauses();
        builder.AddSendErrors();
        services.AddTransient<AudienceExpansion>().AddSingleton<AudienceResolver>();
        services.AddTransient<SendCalls>().AddTransient<SendWork>().AddTransient<WelcomeWork>()
            .AddSingleton<SendBuckets>().AddSingleton<SendResults>();
        services.AddSendSweep(builder.Configuration);
        if (builder.Configuration.UsesRabbitMq())
        {
            var sendQueue = SendQueues.Send(builder.Configuration);
            services.AddSingleton<ISendScheduler>(sp => new RabbitMqSendScheduler(
                sp.GetRequiredService<RabbitMqConnection>(), sendQueue, sp.GetRequiredService<RabbitMqBroker>().Quorum));
        }
        else
            services.AddSingleton<ISendScheduler, InMemorySendScheduler>();
        return builder;
    }

    /// <summary>The dispatcher's consumers: sends, the welcome priority path, and the suppression list kept from gateway events.</summary>
    public static IBusRegistrationConfigurator AddDispatchConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SendRequestedConsumer, SendRequestedDefinition>();
        bus.AddConsumer<WelcomeRequestedConsumer, WelcomeDefinition<WelcomeRequestedConsumer>>();
        bus.AddConsumer<WelcomeOnContactAdded, WelcomeDefinition<WelcomeOnContactAdded>>();
        bus.AddConsumer<FollowUserDeletedSuppression, SuppressionDefinition<FollowUserDeletedSuppression>>();
        bus.AddConsumer<ExternalContactDeletedSuppression, SuppressionDefinition<ExternalContactDeletedSuppression>>();
        bus.AddConsumer<ExternalContactAddedSuppression, SuppressionDefinition<ExternalContactAddedSuppression>>();
        bus.AddConsumer<FollowerUnsubscribedSuppression, SuppressionDefinition<FollowerUnsubscribedSuppression>>();
        bus.AddConsumer<FollowerSubscribedSuppression, SuppressionDefinition<FollowerSubscribedSuppression>>();
        bus.AddConsumer<TemplateSendJobFinishedSuppression, SuppressionDefinition<TemplateSendJobFinishedSuppression>>();
        return bus;
    }
}

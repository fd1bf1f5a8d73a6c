using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Storage;

namespace WecomBridge.DeadLetters;

/// <summary>
/// Dead letters on every role (each collects its own consumers' `_error` queues; the store is shared): with RabbitMQ and
/// Redis, a collector and the Redis store; in the embedded mode the in-memory store (nothing to collect: the in-memory
/// transport's error queues live and die with the process). With RabbitMQ and no Redis nothing is collected: the store
/// would be one instance's memory, lost with it, and the broker keeps the messages better.
/// </summary>
internal static class DeadLetterExtensions
{
    private const string ConnectionKey = "dead-letters";

    public static IHostApplicationBuilder AddDeadLetters(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DeadLetterOptions, DeadLetterOptionsValidator>(DeadLetterOptions.Section);
        services.AddSingleton<PersonalDataMask>();
        services.AddSingleton<DeadLetterQueues>();
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<DeadLetterQueues>());
        if (builder.Configuration.UsesRedis())
            services.AddSingleton<IDeadLetterStore>(sp => new RedisDeadLetterStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<DeadLetterOptions>>()));
        else services.AddSingleton<IDeadLetterStore, InMemoryDeadLetterStore>();
        if (builder.Configuration.UsesRabbitMq())
        {
            // A connection of their own: the collector's polls and reconnects never take the publisher's turn to reconnect.
            services.AddKeyedSingleton(ConnectionKey, (sp, _) => new RabbitMqConnection(
                sp.GetRequiredService<RabbitMqBroker>(), sp.GetRequiredService<ILogger<DeadLetterCollector>>(), coalesce: false));
            services.AddSingleton(sp => new DeadLetterReplayer(sp.GetRequiredKeyedService<RabbitMqConnection>(ConnectionKey)));
            var enabled = builder.Configuration.GetValue($"{DeadLetterOptions.Section}:Enabled", true);
            if (enabled && builder.Configuration.UsesRedis())
            {
                services.AddSingleton(sp => ActivatorUtilities.CreateInstance<DeadLetterCollector>(
                    sp, sp.GetRequiredKeyedService<RabbitMqConnection>(ConnectionKey)));
                services.AddHostedService(sp => sp.GetRequiredService<DeadLetterCollector>());
            }
        }
        services.AddSingleton(sp => new DeadLetterActions(sp.GetRequiredService<IDeadLetterStore>(), sp.GetRequiredService<IMessagePublisher>(),
            sp.GetRequiredService<IOptions<DeadLetterOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DeadLetterActions>>(), sp.GetService<DeadLetterReplayer>()));
        return builder;
    }

    public static RouteGroupBuilder MapDeadLetters(this RouteGroupBuilder api) => api.MapDeadLetterApi();
}

using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using WecomBridge.Hosting;
using WecomBridge.Journeys.Enrolments;
using WecomBridge.Journeys.Triggers;
using WecomBridge.Messaging;
using WecomBridge.Pool;
using WecomBridge.Pool.Activity;
using WecomBridge.Sending.Api;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Journeys running on the dispatcher, with the contact pool: the store of enrolments and timers (PostgreSQL with
/// ConnectionStrings:Postgres, its events through the pool's outbox; else memory, its events published at once), the
/// runner (Journeys:RunnerEnabled), the triggers the pool's consumer calls, the stage consumer, the segment pass and
/// the CRM's enrolment and exit routes.
/// </summary>
internal static class JourneyRuntimeExtensions
{
    public static IHostApplicationBuilder AddJourneys(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<JourneyRuntimeOptions, JourneyRuntimeOptionsValidator>(JourneyRuntimeOptions.Section);
        services.AddValidatedOptions<PendingTagOptions, PendingTagOptionsValidator>(PendingTagOptions.Section);
        if (!PoolOptions.IsEnabled(builder.Configuration)) return builder;
        if (PoolOptions.UsesPostgres(builder.Configuration))
            services.TryAddSingleton<IJourneyStore>(sp => new PostgresJourneyStore(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<ActivityRules>().Outbox));
        else
            services.TryAddSingleton<IJourneyStore>(sp => new InMemoryJourneyStore(sp.GetRequiredService<IMessagePublisher>()));
        if (PoolOptions.UsesPostgres(builder.Configuration))
            services.TryAddSingleton<IJourneyTagLedger>(sp => new PostgresJourneyTagLedger(sp.GetRequiredService<NpgsqlDataSource>()));
        else services.TryAddSingleton<IJourneyTagLedger, InMemoryJourneyTagLedger>();
        services.TryAddSingleton<PendingTagPruning>(); // run by the pool's retention pass
        services.TryAddSingleton<SendQueue>(); // the send API's path into the dispatcher (the API makes its own instance)
        services.TryAddSingleton<JourneySender>();
        services.TryAddSingleton<JourneyActions>();
        services.TryAddSingleton<JourneyStepRunner>();
        services.TryAddSingleton<JourneyRunner>();
        services.TryAddSingleton<JourneyEnroller>();
        services.TryAddSingleton<JourneyTriggers>();
        services.TryAddSingleton<JourneyFollowerTriggers>();
        services.AddSingleton<JourneySegmentPass>().AddHostedService(sp => sp.GetRequiredService<JourneySegmentPass>());
        if (builder.Configuration.GetValue($"{JourneyRuntimeOptions.Section}:{nameof(JourneyRuntimeOptions.RunnerEnabled)}", true))
            services.AddHostedService(sp => sp.GetRequiredService<JourneyRunner>());
        return builder;
    }

    /// <summary>The journeys' own consumers (beside the pool's, same condition).</summary>
    public static IBusRegistrationConfigurator AddJourneyConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<JourneyStageConsumer, JourneyStageConsumerDefinition>();
        return bus;
    }

    public static RouteGroupBuilder MapJourneys(this RouteGroupBuilder api, IConfiguration configuration) =>
        PoolOptions.IsEnabled(configuration) ? api.MapJourneyEnrolmentApi() : api;
}

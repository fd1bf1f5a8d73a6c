using Microsoft.Extensions.DependencyInjection.Extensions;
using WecomBridge.Journeys.Views;
using WecomBridge.Pool;

namespace WecomBridge.Journeys.Definitions;

/// <summary>
/// Journey definitions on the dispatcher, with the contact pool (their conditions are segment filters over it): the
/// versions in PostgreSQL when ConnectionStrings:Postgres is set (the pool's schema scripts create their tables), else
/// in memory; and the definitions API.
/// </summary>
internal static class JourneyDefinitionsExtensions
{
    public static IHostApplicationBuilder AddJourneyDefinitions(this IHostApplicationBuilder builder)
    {
        if (!PoolOptions.IsEnabled(builder.Configuration)) return builder;
        // TryAdd: the journeys' runtime may register the same store; one instance serves both.
        if (PoolOptions.UsesPostgres(builder.Configuration))
            builder.Services.TryAddSingleton<IJourneyDefinitionStore, PostgresJourneyDefinitionStore>();
        else
            builder.Services.TryAddSingleton<IJourneyDefinitionStore, InMemoryJourneyDefinitionStore>();
        builder.AddJourneyViews(); // the journeys' instruments (docs/metrics.md, "Journeys")
        return builder;
    }

    public static RouteGroupBuilder MapJourneyDefinitions(this RouteGroupBuilder api, IConfiguration configuration) =>
        PoolOptions.IsEnabled(configuration) ? api.MapJourneyDefinitionApi() : api;
}

using MassTransit;
using Npgsql;
using WecomBridge.Hosting;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool.Activity;
using WecomBridge.Pool.Schema;
using WecomBridge.Pool.Segments;

namespace WecomBridge.Pool;

/// <summary>
/// The contact pool on the dispatcher: its consumers, its store (PostgreSQL when ConnectionStrings:Postgres is set, the
/// schema migrated before anything starts; else memory) and its API. Off as <see cref="PoolOptions.Enabled"/> says.
/// </summary>
internal static class PoolExtensions
{
    public static IBusRegistrationConfigurator AddPoolConsumers(this IBusRegistrationConfigurator x, IConfiguration configuration)
    {
        if (!PoolOptions.IsEnabled(configuration)) return x;
        foreach (var e in PoolProjection.Events)
            x.AddConsumer(typeof(PoolConsumer<>).MakeGenericType(e), typeof(PoolConsumerDefinition<>).MakeGenericType(e));
        x.AddJourneyConsumers(); // journeys run beside the pool (their stage trigger)
        return x;
    }

    public static IHostApplicationBuilder AddPool(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<PoolOptions, PoolOptionsValidator>(PoolOptions.Section);
        services.AddValidatedOptions<PoolRetentionOptions, PoolRetentionOptionsValidator>(PoolRetentionOptions.Section);
        if (!PoolOptions.IsEnabled(builder.Configuration)) return builder;
        services.AddSingleton<PoolProjection>();
        services.AddSingleton<PoolMetrics>();
        services.AddSingleton<PoolRetentionPass>().AddHostedService(sp => sp.GetRequiredService<PoolRetentionPass>());
        services.AddPoolActivity();
        if (!PoolOptions.UsesPostgres(builder.Configuration))
        {
            services.AddSingleton<IPoolStore, InMemoryPoolStore>();
            services.AddSingleton<ISegmentStore>(sp => (InMemoryPoolStore)sp.GetRequiredService<IPoolStore>());
            return builder;
        }
        var connection = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString("Postgres"));
        connection.ApplicationName ??= "wecombridge";
        // The projection runs the same few statements for every event: prepared once per connection, they skip the parse
        // and plan. "Max Auto Prepare" in the connection string, when given, says otherwise.
        if (connection.MaxAutoPrepare == 0) connection.MaxAutoPrepare = 64;
        var connectionString = connection.ConnectionString;
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<IPoolStore, PostgresPoolStore>();
        services.AddSingleton<ISegmentStore, PostgresSegmentStore>();
        services.AddHostedService(sp => new PoolSchema(connectionString, sp.GetRequiredService<ILogger<PoolSchema>>()));
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }

    public static RouteGroupBuilder MapPool(this RouteGroupBuilder api, IConfiguration configuration) =>
        PoolOptions.IsEnabled(configuration) ? api.MapPoolApi().MapPoolActivityApi().MapSegmentApi() : api;
}

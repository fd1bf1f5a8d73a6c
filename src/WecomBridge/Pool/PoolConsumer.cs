using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using WecomBridge.Hosting;
using WecomBridge.Journeys.Triggers;

namespace WecomBridge.Pool;

/// <summary>
/// Applies one kind of event to the pool (<typeparamref name="T"/>: one of <see cref="PoolProjection.Events"/>). A
/// duplicate is acknowledged and dropped; a failure of the database faults the message, which is retried (below) and then
/// goes to the queue's _error queue, so nothing is lost.
/// </summary>
internal sealed class PoolConsumer<T>(PoolProjection projection, IPoolStore store, ILogger<PoolConsumer<T>> logger, PoolMetrics? metrics = null,
    JourneyTriggers? journeys = null) : IConsumer<T>
    where T : class
{
    public async Task Consume(ConsumeContext<T> context)
    {
        // Under the event's trace (the callback's, docs/tracing.md); recorded only with an exporter.
        using var activity = BridgeTelemetry.Source.StartActivity("pool apply", System.Diagnostics.ActivityKind.Consumer);
        activity?.SetTag("wecombridge.event_type", typeof(T).Name);
        var change = projection.Map(context.Message);
        if (change is null)
        {
            metrics?.Projected(typeof(T).Name, PoolMetrics.Ignored, null);
            return;
        }
        var eventId = PoolProjection.EventId(context.Message);
        activity?.SetTag("wecombridge.event_id", eventId);
        var tagsAdded = journeys is null ? null : await journeys.BeforeAsync(eventId, change, context.CancellationToken);
        var applied = await store.ApplyAsync(eventId, change, context.CancellationToken);
        // After the pool has the change, so that a step never finds the pool behind its trigger; also on a duplicate.
        if (journeys is not null) await journeys.AfterAsync(eventId, change, tagsAdded, context.CancellationToken);
        if (applied) PoolLog.Applied(logger, typeof(T).Name, eventId);
        else PoolLog.Duplicate(logger, typeof(T).Name, eventId);
        metrics?.Projected(typeof(T).Name, applied ? PoolMetrics.Applied : PoolMetrics.Duplicate, change.At);
        activity?.SetTag("wecombridge.outcome", applied ? PoolMetrics.Applied : PoolMetrics.Duplicate);
    }
}

/// <summary>
/// The queue `{Messaging:EndpointPrefix}.pool.{event}` (e.g. wecombridge.pool.external-contact-added), bound to the
/// event's exchange: one per event, since raw JSON carries no type. Deadlocks and lost connections are retried.
/// </summary>
internal sealed class PoolConsumerDefinition<T> : ConsumerDefinition<PoolConsumer<T>> where T : class
{
    private readonly PoolOptions _options;

    public PoolConsumerDefinition(IConfiguration configuration, IOptions<PoolOptions> options)
    {
        _options = options.Value;
        EndpointName = $"{configuration["Messaging:EndpointPrefix"] ?? "wecombridge"}.pool."
            + JsonNamingPolicy.KebabCaseLower.ConvertName(typeof(T).Name);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<PoolConsumer<T>> consumer,
        IRegistrationContext context)
    {
        endpoint.ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
            retry.Handle<NpgsqlException>(e => e.IsTransient
                || e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure });
        });
    }
}

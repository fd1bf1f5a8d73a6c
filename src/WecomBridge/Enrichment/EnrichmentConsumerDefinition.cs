using MassTransit;
using Microsoft.Extensions.Options;

namespace WecomBridge.Enrichment;

/// <summary>
/// What every enrichment endpoint shares: its queue `{QueuePrefix}{queue}`, bounded concurrency and an exponential
/// redelivery of transient API failures only. Anything else (a permanent errcode, 84061 once the client's slow
/// retries are spent, a missing configuration) faults at once: MassTransit moves the event to `…_error`.
/// One source event per endpoint: raw JSON carries no type, so every consumer of an endpoint would get every message.
/// </summary>
internal abstract class EnrichmentConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    private readonly EnrichmentOptions _options;

    protected EnrichmentConsumerDefinition(IOptions<EnrichmentOptions> options, string queue)
    {
        _options = options.Value;
        EndpointName = _options.QueuePrefix + queue;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(_options.RetryLimit, _options.RetryMinInterval, _options.RetryMaxInterval, _options.RetryMinInterval);
            retry.Handle<WeCom.ApiException>(EnrichmentRetry.IsTransient);
        });
    }
}

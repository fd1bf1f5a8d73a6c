using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Enrichment;

/// <summary>ExternalContactAdded → <see cref="ExternalContactEnricher"/>.</summary>
internal sealed class ExternalContactAddedConsumer(ExternalContactEnricher enricher) : IConsumer<ExternalContactAdded>
{
    public Task Consume(ConsumeContext<ExternalContactAdded> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(ExternalContactAdded), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            m.UserId, m.ExternalUserId, context.CancellationToken);
    }
}

internal sealed class ExternalContactAddedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<ExternalContactAddedConsumer>(options, "external-contact-added");

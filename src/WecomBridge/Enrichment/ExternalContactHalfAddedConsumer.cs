using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Enrichment;

/// <summary>ExternalContactHalfAdded → <see cref="ExternalContactEnricher"/>.</summary>
internal sealed class ExternalContactHalfAddedConsumer(ExternalContactEnricher enricher) : IConsumer<ExternalContactHalfAdded>
{
    public Task Consume(ConsumeContext<ExternalContactHalfAdded> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(ExternalContactHalfAdded), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            m.UserId, m.ExternalUserId, context.CancellationToken);
    }
}

internal sealed class ExternalContactHalfAddedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<ExternalContactHalfAddedConsumer>(options, "external-contact-half-added");

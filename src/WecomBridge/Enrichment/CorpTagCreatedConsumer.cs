using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Tags;

namespace WecomBridge.Enrichment;

/// <summary>CorpTagCreated → <see cref="CorpTagCatalogEnricher"/>.</summary>
internal sealed class CorpTagCreatedConsumer(CorpTagCatalogEnricher enricher) : IConsumer<CorpTagCreated>
{
    public Task Consume(ConsumeContext<CorpTagCreated> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(CorpTagCreated), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            context.CancellationToken);
    }
}

internal sealed class CorpTagCreatedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<CorpTagCreatedConsumer>(options, "corp-tag-created");

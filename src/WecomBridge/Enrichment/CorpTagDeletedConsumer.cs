using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Tags;

namespace WecomBridge.Enrichment;

/// <summary>CorpTagDeleted → <see cref="CorpTagCatalogEnricher"/>.</summary>
internal sealed class CorpTagDeletedConsumer(CorpTagCatalogEnricher enricher) : IConsumer<CorpTagDeleted>
{
    public Task Consume(ConsumeContext<CorpTagDeleted> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(CorpTagDeleted), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            context.CancellationToken);
    }
}

internal sealed class CorpTagDeletedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<CorpTagDeletedConsumer>(options, "corp-tag-deleted");

using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Tags;

namespace WecomBridge.Enrichment;

/// <summary>CorpTagsShuffled → <see cref="CorpTagCatalogEnricher"/>.</summary>
internal sealed class CorpTagsShuffledConsumer(CorpTagCatalogEnricher enricher) : IConsumer<CorpTagsShuffled>
{
    public Task Consume(ConsumeContext<CorpTagsShuffled> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(CorpTagsShuffled), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            context.CancellationToken);
    }
}

internal sealed class CorpTagsShuffledConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<CorpTagsShuffledConsumer>(options, "corp-tags-shuffled");

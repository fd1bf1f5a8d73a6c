using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Tags;

namespace WecomBridge.Enrichment;

/// <summary>CorpTagUpdated → <see cref="CorpTagCatalogEnricher"/>.</summary>
internal sealed class CorpTagUpdatedConsumer(CorpTagCatalogEnricher enricher) : IConsumer<CorpTagUpdated>
{
    public Task Consume(ConsumeContext<CorpTagUpdated> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(CorpTagUpdated), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            context.CancellationToken);
    }
}

internal sealed class CorpTagUpdatedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<CorpTagUpdatedConsumer>(options, "corp-tag-updated");

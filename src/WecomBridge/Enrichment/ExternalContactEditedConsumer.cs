using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Enrichment;

/// <summary>ExternalContactEdited (no diff in the event) → <see cref="ExternalContactEnricher"/>.</summary>
internal sealed class ExternalContactEditedConsumer(ExternalContactEnricher enricher) : IConsumer<ExternalContactEdited>
{
    public Task Consume(ConsumeContext<ExternalContactEdited> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(ExternalContactEdited), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            m.UserId, m.ExternalUserId, context.CancellationToken);
    }
}

internal sealed class ExternalContactEditedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<ExternalContactEditedConsumer>(options, "external-contact-edited");

using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.GroupChats;

namespace WecomBridge.Enrichment;

/// <summary>GroupChatUpdated → <see cref="GroupChatEnricher"/>, with member-version gap detection.</summary>
internal sealed class GroupChatUpdatedConsumer(GroupChatEnricher enricher) : IConsumer<GroupChatUpdated>
{
    public Task Consume(ConsumeContext<GroupChatUpdated> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(GroupChatUpdated), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            m.ChatId, m.LastMemberVersion, context.CancellationToken);
    }
}

internal sealed class GroupChatUpdatedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<GroupChatUpdatedConsumer>(options, "group-chat-updated");

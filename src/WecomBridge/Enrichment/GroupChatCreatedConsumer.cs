using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.GroupChats;

namespace WecomBridge.Enrichment;

/// <summary>GroupChatCreated → <see cref="GroupChatEnricher"/> (stores the first member_version).</summary>
internal sealed class GroupChatCreatedConsumer(GroupChatEnricher enricher) : IConsumer<GroupChatCreated>
{
    public Task Consume(ConsumeContext<GroupChatCreated> context)
    {
        var m = context.Message;
        return enricher.EnrichAsync(new(nameof(GroupChatCreated), m.EventId, m.Corp, m.App, m.CorpId, m.OccurredAt, m.ReceivedAt),
            m.ChatId, lastMemberVersion: null, context.CancellationToken);
    }
}

internal sealed class GroupChatCreatedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<GroupChatCreatedConsumer>(options, "group-chat-created");

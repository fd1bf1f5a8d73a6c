using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Followers;
using WecomBridge.Messaging;
using WecomBridge.OfficialAccount;
using WecomBridge.WeCom;

namespace WecomBridge.Enrichment;

/// <summary>After a user followed an Official Account: user/info → <see cref="FollowerSnapshotPublished"/>.</summary>
internal sealed class FollowerSubscribedConsumer(OfficialAccountClient client, OfficialAccountCredentials credentials, IMessagePublisher events,
    TimeProvider time, ILogger<FollowerSubscribedConsumer> logger) : IConsumer<FollowerSubscribed>
{
    public async Task Consume(ConsumeContext<FollowerSubscribed> context)
    {
        var m = context.Message;
        if (!credentials.HasSecret(m.Account))
        {
            EnrichmentLog.NoSecret(logger, nameof(FollowerSubscribed), m.EventId, m.Account);
            return;
        }
        FollowerInfo info;
        try
        {
            info = await client.GetFollowerAsync(credentials.For(m.Account), m.OpenId, ct: context.CancellationToken);
        }
        catch (ApiException e)
        {
            EnrichmentLog.ReadFailed(logger, nameof(FollowerSubscribed), m.EventId, m.Account, e);
            throw;
        }
        var eventId = SourceEvent.SnapshotId(m.EventId, nameof(FollowerSnapshotPublished));
        var snapshot = new FollowerSnapshotPublished(eventId, m.Account, m.AppId, m.OriginalId, m.OccurredAt, m.ReceivedAt,
            time.GetUtcNow(), nameof(FollowerSubscribed), m.EventId, m.OpenId, info.Subscribe == 1, info.UnionId,
            info.SubscribeTime is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null, info.SubscribeScene, info.QrScene,
            info.QrSceneStr, info.TagIds ?? [], info.Remark, info.Language);
        await events.PublishSnapshotAsync(snapshot, eventId, nameof(FollowerSubscribed), m.EventId, logger, context.CancellationToken);
    }
}

internal sealed class FollowerSubscribedConsumerDefinition(IOptions<EnrichmentOptions> options)
    : EnrichmentConsumerDefinition<FollowerSubscribedConsumer>(options, "follower-subscribed");

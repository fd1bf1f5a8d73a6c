using WecomBridge.Contracts.Contacts;
using WecomBridge.Messaging;
using WecomBridge.WeCom;

namespace WecomBridge.Enrichment;

/// <summary>
/// Reads a contact after it was added, half-added or edited: externalcontact/get (every page of follow users) →
/// <see cref="ExternalContactSnapshotPublished"/>. Edits carry no diff, so the snapshot is the only way to see them.
/// </summary>
internal sealed class ExternalContactEnricher(WeComClient weCom, WeComCredentials credentials, IEventPublisher events,
    TimeProvider time, ILogger<ExternalContactEnricher> logger)
{
    public async Task EnrichAsync(SourceEvent source, string userId, string externalUserId, CancellationToken ct)
    {
        WeCom.Models.ExternalContactDetails details;
        if (!credentials.HasContactSecret(source.Corp))
        {
            EnrichmentLog.NoSecret(logger, source.Name, source.EventId, source.Corp);
            return;
        }
        try
        {
            details = await weCom.GetExternalContactAsync(credentials.Contact(source.Corp), externalUserId, ct);
        }
        catch (ApiException e)
        {
            EnrichmentLog.ReadFailed(logger, source.Name, source.EventId, source.Corp, e);
            throw;
        }
        var eventId = source.SnapshotIdFor(nameof(ExternalContactSnapshotPublished));
        var snapshot = new ExternalContactSnapshotPublished(eventId, source.Corp, source.App, source.CorpId, source.OccurredAt,
            source.ReceivedAt, time.GetUtcNow(), source.Name, source.EventId, userId, externalUserId,
            Snapshots.Profile(details.Contact), details.FollowUsers.Select(Snapshots.FollowUser).ToArray());
        await events.PublishSnapshotAsync(snapshot, eventId, source.Name, source.EventId, logger, ct);
    }
}

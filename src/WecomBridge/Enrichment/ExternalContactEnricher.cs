using WecomBridge.Contracts.Contacts;
using WecomBridge.Messaging;
using WecomBridge.WeCom;

namespace WecomBridge.Enrichment;

/// <summary>
/// Reads a contact after it was added, half-added or edited: externalcontact/get (every page of follow users) →
/// <see cref="ExternalContactSnapshotPublished"/>. Edits carry no diff, so the snapshot is the only way to see them.
/// </summary>
internal sealed class ExternalContactEnricher(WeComClient weCom, WeComCredentials credentials, IMessagePublisher events,
    TimeProvider time, ILogger<ExternalContactEnricher> logger)
{
    public async Task EnrichAsync(SourceEvent source, string userId, string externalUserId, CancellationToken ct)
    {
        var details = await CorpRead.TryAsync(
            source, credentials, logger, who => weCom.GetExternalContactAsync(who, externalUserId, ct));
        if (details is null) return;
        var eventId = source.SnapshotIdFor(nameof(ExternalContactSnapshotPublished));
        var snapshot = new ExternalContactSnapshotPublished(eventId, source.Corp, source.App, source.CorpId, source.OccurredAt,
            source.ReceivedAt, time.GetUtcNow(), source.Name, source.EventId, userId, externalUserId,
            Snapshots.Profile(details.Contact), details.FollowUsers.Select(Snapshots.FollowUser).ToArray());
        await events.PublishSnapshotAsync(snapshot, eventId, source.Name, source.EventId, logger, ct);
    }
}

using WecomBridge.Contracts.Tags;
using WecomBridge.Messaging;
using WecomBridge.WeCom;

namespace WecomBridge.Enrichment;

/// <summary>
/// Reads the tag catalog after any corp tag change (create, update, delete, shuffle): get_corp_tag_list (all groups) →
/// <see cref="CorpTagCatalogPublished"/>, the whole catalog (deleting a group gives no per-tag events).
/// </summary>
internal sealed class CorpTagCatalogEnricher(WeComClient weCom, WeComCredentials credentials, IMessagePublisher events,
    TimeProvider time, ILogger<CorpTagCatalogEnricher> logger)
{
    public async Task EnrichAsync(SourceEvent source, CancellationToken ct)
    {
        if (await CorpRead.TryAsync(source, credentials, logger, who => weCom.GetCorpTagsAsync(who, ct: ct)) is not { } groups) return;
        var eventId = source.SnapshotIdFor(nameof(CorpTagCatalogPublished));
        var catalog = new CorpTagCatalogPublished(eventId, source.Corp, source.App, source.CorpId, source.OccurredAt,
            source.ReceivedAt, time.GetUtcNow(), source.Name, source.EventId, groups.Select(Snapshots.TagGroup).ToArray());
        await events.PublishSnapshotAsync(catalog, eventId, source.Name, source.EventId, logger, ct);
    }
}

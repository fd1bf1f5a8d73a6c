namespace WecomBridge.Contracts.Tags;

/// <summary>
/// Every corp customer tag group with its tags (externalcontact/get_corp_tag_list), read after a CorpTagCreated,
/// CorpTagUpdated, CorpTagDeleted or CorpTagsShuffled (SourceEvent, SourceEventId). A full catalog: replace yours.
/// </summary>
public sealed record CorpTagCatalogPublished(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ReadAt,
    string SourceEvent,
    string SourceEventId,
    IReadOnlyList<CatalogTagGroup> TagGroups);

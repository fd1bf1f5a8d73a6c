namespace WecomBridge.Contracts.Tags;

/// <summary>
/// A corp customer tag or tag group was deleted (change_external_tag / delete); deleting a group gives
/// no per-tag events.
/// </summary>
public sealed record CorpTagDeleted(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string Id,
    string TagType);

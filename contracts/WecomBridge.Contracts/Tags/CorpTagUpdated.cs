namespace WecomBridge.Contracts.Tags;

/// <summary>
/// A corp customer tag or tag group was renamed or changed (change_external_tag / update).
/// </summary>
public sealed record CorpTagUpdated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string Id,
    string TagType);

namespace WecomBridge.Contracts.Tags;

/// <summary>
/// A corp customer tag or tag group was created (change_external_tag / create). TagType: tag or
/// tag_group.
/// </summary>
public sealed record CorpTagCreated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string Id,
    string TagType);

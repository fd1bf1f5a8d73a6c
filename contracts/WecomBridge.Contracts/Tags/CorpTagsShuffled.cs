namespace WecomBridge.Contracts.Tags;

/// <summary>
/// Corp customer tags were re-ordered (change_external_tag / shuffle).
/// </summary>
public sealed record CorpTagsShuffled(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string? Id,
    string? StrategyId);

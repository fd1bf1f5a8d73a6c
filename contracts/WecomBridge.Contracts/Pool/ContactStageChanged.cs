namespace WecomBridge.Contracts.Pool;

/// <summary>
/// The contact pool moved a contact to another lifecycle stage (new, active, dormant, lost): on an interaction, an add
/// or a deletion, or in the scheduled pass. EventId derives from the contact, both stages and OccurredAt, so a
/// repeat carries the same id. LastInteractionAt is the interaction the stage was computed from (null: none yet).
/// </summary>
public sealed record ContactStageChanged(
    string EventId,
    string Corp,
    string ExternalUserId,
    string Stage,
    string PreviousStage,
    DateTimeOffset? LastInteractionAt,
    DateTimeOffset OccurredAt);

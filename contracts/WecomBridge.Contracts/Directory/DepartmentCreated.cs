namespace WecomBridge.Contracts.Directory;

/// <summary>
/// A department was created (change_contact / create_party).
/// </summary>
public sealed record DepartmentCreated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    long Id,
    string? Name,
    long? ParentId,
    long? Order);

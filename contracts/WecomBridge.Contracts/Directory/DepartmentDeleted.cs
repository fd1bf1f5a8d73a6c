namespace WecomBridge.Contracts.Directory;

/// <summary>
/// A department was deleted (change_contact / delete_party).
/// </summary>
public sealed record DepartmentDeleted(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    long Id);

namespace WecomBridge.Contracts.Directory;

/// <summary>
/// A member was deleted (change_contact / delete_user).
/// </summary>
public sealed record EmployeeDeleted(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId);

namespace WecomBridge.Contracts.Directory;

/// <summary>
/// Members or departments were added to or removed from a contact tag (change_contact / update_tag).
/// </summary>
public sealed record EmployeeTagUpdated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    long TagId,
    IReadOnlyList<string> AddedUserIds,
    IReadOnlyList<string> RemovedUserIds,
    IReadOnlyList<long> AddedDepartmentIds,
    IReadOnlyList<long> RemovedDepartmentIds);

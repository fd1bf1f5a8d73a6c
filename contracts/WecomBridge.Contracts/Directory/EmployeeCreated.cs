namespace WecomBridge.Contracts.Directory;

/// <summary>
/// A member was created (change_contact / create_user). Fields the app may not see are null.
/// </summary>
public sealed record EmployeeCreated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId,
    string? Name,
    IReadOnlyList<long>? DepartmentIds,
    long? MainDepartmentId,
    IReadOnlyList<int>? IsLeaderInDepartment,
    IReadOnlyList<string>? DirectLeaders,
    string? Position,
    string? Mobile,
    int? Gender,
    string? Email,
    string? BizMail,
    int? Status,
    string? Avatar,
    string? Alias,
    string? Telephone,
    string? Address);

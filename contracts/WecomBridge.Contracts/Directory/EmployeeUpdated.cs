namespace WecomBridge.Contracts.Directory;

/// <summary>
/// A member changed (change_contact / update_user). Only changed fields are set: null = unchanged or
/// not visible, an empty string or list = cleared.
/// </summary>
public sealed record EmployeeUpdated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId,
    string? NewUserId,
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

namespace WecomBridge.Contracts.Directory;

/// <summary>
/// A department changed (change_contact / update_party). Only changed fields are set.
/// </summary>
public sealed record DepartmentUpdated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    long Id,
    string? Name,
    long? ParentId);

namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// An employee deleted an external contact (del_external_contact); DeletedByTransfer when Source is
/// DELETE_BY_TRANSFER.
/// </summary>
public sealed record ExternalContactDeleted(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId,
    string ExternalUserId,
    string? Source,
    bool DeletedByTransfer);

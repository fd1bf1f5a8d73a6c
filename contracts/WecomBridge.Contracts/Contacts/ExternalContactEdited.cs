namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// A member edited an external contact's remark, phone or tags; carries no diff: re-read the contact
/// (edit_external_contact).
/// </summary>
public sealed record ExternalContactEdited(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId,
    string ExternalUserId);

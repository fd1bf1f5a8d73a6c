namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// An employee added an external contact (change_external_contact / add_external_contact).
/// </summary>
public sealed record ExternalContactAdded(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId,
    string ExternalUserId,
    string? State,
    string? WelcomeCode);

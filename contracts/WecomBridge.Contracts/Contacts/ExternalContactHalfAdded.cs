namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// A customer added an employee without verification; not yet confirmed (add_half_external_contact).
/// </summary>
public sealed record ExternalContactHalfAdded(
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

namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// An external contact agreed to chat archiving (msg_audit_approved).
/// </summary>
public sealed record ExternalContactChatArchiveApproved(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId,
    string ExternalUserId,
    string? WelcomeCode);

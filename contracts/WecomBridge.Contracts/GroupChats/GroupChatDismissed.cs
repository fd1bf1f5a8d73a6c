namespace WecomBridge.Contracts.GroupChats;

/// <summary>
/// A customer group chat was dismissed (change_external_chat / dismiss).
/// </summary>
public sealed record GroupChatDismissed(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string ChatId);

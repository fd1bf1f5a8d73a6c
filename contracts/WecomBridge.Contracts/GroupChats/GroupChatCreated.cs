namespace WecomBridge.Contracts.GroupChats;

/// <summary>
/// A customer group chat was created (change_external_chat / create).
/// </summary>
public sealed record GroupChatCreated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string ChatId);

namespace WecomBridge.Contracts.GroupChats;

/// <summary>
/// The group chat as externalcontact/groupchat/get showed it, read after a GroupChatCreated or GroupChatUpdated
/// (SourceEvent, SourceEventId). GapReRead: the update's lastMemberVersion differed from the version WecomBridge
/// last stored for the chat (StoredMemberVersion), so at least one change event was lost; the members here are the
/// full current list. JoinScene in Members uses groupchat/get's 1 invited directly, 2 by link, 3 QR scan.
/// </summary>
public sealed record GroupChatSnapshotPublished(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ReadAt,
    string SourceEvent,
    string SourceEventId,
    string ChatId,
    string? Name,
    string? Owner,
    DateTimeOffset CreatedAt,
    string? Notice,
    IReadOnlyList<ChatMember> Members,
    IReadOnlyList<string> AdminUserIds,
    string? MemberVersion,
    bool GapReRead,
    string? StoredMemberVersion);

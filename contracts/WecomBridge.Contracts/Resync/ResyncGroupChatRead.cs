namespace WecomBridge.Contracts.Resync;

/// <summary>A re-sync read one customer group chat (externalcontact/groupchat/list + groupchat/get).</summary>
public sealed record ResyncGroupChatRead(
    string EventId,
    string ResyncId,
    string Corp,
    string CorpId,
    DateTimeOffset ReadAt,
    string ChatId,
    int Status,
    string? Name,
    string? Owner,
    long CreateTime,
    string? Notice,
    string? MemberVersion,
    IReadOnlyList<string> MemberUserIds,
    IReadOnlyList<string> ExternalMemberIds,
    IReadOnlyList<string> AdminUserIds);

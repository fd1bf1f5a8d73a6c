namespace WecomBridge.Contracts.GroupChats;

/// <summary>
/// A customer group chat changed (change_external_chat / update). UpdateDetail: add_member, del_member,
/// change_owner, change_name, change_notice. JoinScene 0 = invited, 3 = QR scan; QuitScene 0 = left, 1
/// = removed.
/// </summary>
public sealed record GroupChatUpdated(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string ChatId,
    string UpdateDetail,
    int? JoinScene,
    int? QuitScene,
    int? MemberChangeCount,
    IReadOnlyList<string> MemberChanges,
    string? LastMemberVersion,
    string? CurrentMemberVersion);

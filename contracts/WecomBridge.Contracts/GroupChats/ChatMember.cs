namespace WecomBridge.Contracts.GroupChats;

/// <summary>
/// Part of <see cref="GroupChatSnapshotPublished"/>: Type 1 a corp member, 2 an external contact; JoinScene 1
/// invited directly, 2 by link, 3 QR scan; InvitorUserId the member who invited (null when none).
/// </summary>
public sealed record ChatMember(
    string UserId,
    int Type,
    DateTimeOffset JoinedAt,
    int JoinScene,
    string? InvitorUserId,
    string? UnionId,
    string? GroupNickname,
    string? Name);

namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// Part of <see cref="ExternalContactSnapshotPublished"/>: externalcontact/get external_contact. Type 1: a WeChat
/// user, 2: a WeCom user (then CorpName/CorpFullName/Position may be set). Gender 0 unknown, 1 male, 2 female.
/// </summary>
public sealed record ContactProfile(
    string ExternalUserId,
    string? Name,
    int Type,
    string? UnionId,
    string? Avatar,
    int? Gender,
    string? Position,
    string? CorpName,
    string? CorpFullName);

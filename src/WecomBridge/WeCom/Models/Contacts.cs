using System.Text.Json.Serialization;

namespace WecomBridge.WeCom.Models;

/// <summary>externalcontact/get: one page of follow users (next_cursor when a contact has more than 500).</summary>
public sealed record ExternalContactPage(ExternalContactProfile ExternalContact, List<FollowUserInfo>? FollowUser, string? NextCursor) : ApiResult;

/// <summary>A contact with all of its follow users (every page read).</summary>
public sealed record ExternalContactDetails(ExternalContactProfile Contact, IReadOnlyList<FollowUserInfo> FollowUsers);

public sealed record ExternalContactProfile(
    [property: JsonPropertyName("external_userid")] string ExternalUserId,
    string? Name,
    int Type,
    [property: JsonPropertyName("unionid")] string? UnionId = null,
    string? Avatar = null,
    int? Gender = null,
    string? Position = null,
    string? CorpName = null,
    string? CorpFullName = null);

/// <summary>A member following the contact. externalcontact/get gives Tags; batch/get_by_user gives TagId.</summary>
public sealed record FollowUserInfo(
    [property: JsonPropertyName("userid")] string UserId,
    string? Remark = null,
    string? Description = null,
    [property: JsonPropertyName("createtime")] long CreateTime = 0,
    int AddWay = 0,
    [property: JsonPropertyName("oper_userid")] string? OperUserId = null,
    string? State = null,
    List<FollowUserTag>? Tags = null,
    List<string>? TagId = null,
    List<string>? RemarkMobiles = null);

public sealed record FollowUserTag(string? GroupName, string? TagName, string? TagId, int Type);

/// <summary>externalcontact/list.</summary>
public sealed record ExternalUserIdList([property: JsonPropertyName("external_userid")] List<string>? ExternalUserIds) : ApiResult;

public sealed record BatchGetByUserRequest(
    [property: JsonPropertyName("userid_list")] IReadOnlyList<string> UserIds, string? Cursor, int Limit);

/// <summary>externalcontact/batch/get_by_user: one page of (contact, follow info) pairs.</summary>
public sealed record BatchContactPage(List<BatchContact>? ExternalContactList, string? NextCursor) : ApiResult;

public sealed record BatchContact(ExternalContactProfile ExternalContact, FollowUserInfo FollowInfo);

public sealed record RemarkRequest(
    [property: JsonPropertyName("userid")] string UserId,
    [property: JsonPropertyName("external_userid")] string ExternalUserId,
    string? Remark = null,
    string? Description = null,
    string? RemarkCompany = null,
    IReadOnlyList<string>? RemarkMobiles = null);

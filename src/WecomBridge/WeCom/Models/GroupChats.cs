using System.Text.Json.Serialization;

namespace WecomBridge.WeCom.Models;

/// <summary>status_filter 0: normal chats; 1–3: chats whose owner left (being handed over).</summary>
public sealed record GroupChatListRequest(int StatusFilter, GroupChatOwnerFilter? OwnerFilter, string? Cursor, int Limit);

public sealed record GroupChatOwnerFilter([property: JsonPropertyName("userid_list")] IReadOnlyList<string> UserIds);

/// <summary>externalcontact/groupchat/list: one page of chat ids.</summary>
public sealed record GroupChatPage(List<GroupChatStatus>? GroupChatList, string? NextCursor) : ApiResult;

public sealed record GroupChatStatus(string ChatId, int Status);

public sealed record GroupChatGetRequest(string ChatId, int NeedName);

/// <summary>externalcontact/groupchat/get.</summary>
public sealed record GroupChatResponse(GroupChat GroupChat) : ApiResult;

public sealed record GroupChat(
    string ChatId,
    string? Name,
    string? Owner,
    long CreateTime,
    string? Notice,
    List<GroupChatMember>? MemberList,
    List<GroupChatAdmin>? AdminList,
    string? MemberVersion);

/// <summary>Type 1: a member of the corp; 2: an external contact.</summary>
public sealed record GroupChatMember(
    [property: JsonPropertyName("userid")] string UserId,
    int Type,
    long JoinTime,
    int JoinScene,
    [property: JsonPropertyName("unionid")] string? UnionId = null,
    GroupChatAdmin? Invitor = null,
    string? GroupNickname = null,
    string? Name = null,
    string? State = null);

public sealed record GroupChatAdmin([property: JsonPropertyName("userid")] string UserId);

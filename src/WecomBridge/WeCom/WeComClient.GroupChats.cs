using WecomBridge.WeCom.Models;

namespace WecomBridge.WeCom;

internal sealed partial class WeComClient
{
    /// <summary>externalcontact/groupchat/list: one page (limit 1–1000; give owners when the corp has >1000 visible users).</summary>
    public Task<GroupChatPage> ListGroupChatsPageAsync(
        WeComCredential who, string? cursor, int limit = 1000, int statusFilter = 0, IReadOnlyList<string>? owners = null,
        CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/groupchat/list",
            new GroupChatListRequest(statusFilter, owners is null ? null : new GroupChatOwnerFilter(owners), cursor, limit),
            Json.GroupChatListRequest, Json.GroupChatPage, creates: false, ct);

    /// <summary>Every group chat id (with its status), page by page.</summary>
    public IAsyncEnumerable<GroupChatStatus> ListGroupChatsAsync(
        WeComCredential who, int statusFilter = 0, IReadOnlyList<string>? owners = null, int pageSize = 1000, CancellationToken ct = default) =>
        CursorPages.ReadAllAsync((cursor, c) => ListGroupChatsPageAsync(who, cursor, pageSize, statusFilter, owners, c),
            page => page.GroupChatList, page => page.NextCursor, ct);

    /// <summary>externalcontact/groupchat/get, with member names.</summary>
    public async Task<GroupChat> GetGroupChatAsync(WeComCredential who, string chatId, CancellationToken ct = default) =>
        (await PostAsync(who, "externalcontact/groupchat/get", new GroupChatGetRequest(chatId, NeedName: 1),
            Json.GroupChatGetRequest, Json.GroupChatResponse, creates: false, ct)).GroupChat;
}

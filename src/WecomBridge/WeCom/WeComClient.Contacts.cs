using WecomBridge.WeCom.Models;

namespace WecomBridge.WeCom;

internal sealed partial class WeComClient
{
    /// <summary>externalcontact/get, every page of follow users (a contact with more than 500 has a next_cursor).</summary>
    public async Task<ExternalContactDetails> GetExternalContactAsync(WeComCredential who, string externalUserId, CancellationToken ct = default)
    {
        var first = await GetExternalContactPageAsync(who, externalUserId, null, ct);
        var followUsers = new List<FollowUserInfo>(first.FollowUser ?? []);
        var cursor = first.NextCursor;
        while (!string.IsNullOrEmpty(cursor))
        {
            var page = await GetExternalContactPageAsync(who, externalUserId, cursor, ct);
            followUsers.AddRange(page.FollowUser ?? []);
            cursor = page.NextCursor == cursor ? null : page.NextCursor;
        }
        return new ExternalContactDetails(first.ExternalContact, followUsers);
    }

    public Task<ExternalContactPage> GetExternalContactPageAsync(
        WeComCredential who, string externalUserId, string? cursor, CancellationToken ct = default) =>
        GetAsync(who, "externalcontact/get", ApiTransport.Query(("external_userid", externalUserId), ("cursor", cursor)),
            Json.ExternalContactPage, ct);

    /// <summary>externalcontact/list: the external user ids of one member's customers.</summary>
    public async Task<IReadOnlyList<string>> ListExternalContactsAsync(WeComCredential who, string userId, CancellationToken ct = default) =>
        (await GetAsync(who, "externalcontact/list", ApiTransport.Query(("userid", userId)), Json.ExternalUserIdList, ct)).ExternalUserIds ?? [];

    /// <summary>externalcontact/batch/get_by_user: one page (≤ 100 members, limit ≤ 100).</summary>
    public Task<BatchContactPage> GetContactsByUserPageAsync(
        WeComCredential who, IReadOnlyList<string> userIds, string? cursor, int limit = 100, CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/batch/get_by_user", new BatchGetByUserRequest(userIds, cursor, limit),
            Json.BatchGetByUserRequest, Json.BatchContactPage, creates: false, ct);

    /// <summary>Every (contact, follow info) pair of the members, page by page.</summary>
    public IAsyncEnumerable<BatchContact> GetContactsByUserAsync(
        WeComCredential who, IReadOnlyList<string> userIds, int pageSize = 100, CancellationToken ct = default) =>
        CursorPages.ReadAllAsync((cursor, c) => GetContactsByUserPageAsync(who, userIds, cursor, pageSize, c),
            page => page.ExternalContactList, page => page.NextCursor, ct);

    /// <summary>externalcontact/remark: sets the member's remark/description of a customer (repeatable).</summary>
    public Task RemarkAsync(WeComCredential who, RemarkRequest request, CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/remark", request, Json.RemarkRequest, Json.ApiOk, creates: false, ct);

    /// <summary>externalcontact/get_corp_tag_list: all groups, or those of the given tags or groups.</summary>
    public async Task<IReadOnlyList<CorpTagGroup>> GetCorpTagsAsync(
        WeComCredential who, IReadOnlyList<string>? tagIds = null, IReadOnlyList<string>? groupIds = null, CancellationToken ct = default) =>
        (await PostAsync(who, "externalcontact/get_corp_tag_list", new CorpTagListRequest(tagIds, groupIds),
            Json.CorpTagListRequest, Json.CorpTagList, creates: false, ct)).TagGroup ?? [];

    /// <summary>externalcontact/mark_tag: adds and removes corp tags (set semantics, so repeatable).</summary>
    public Task MarkTagAsync(WeComCredential who, MarkTagRequest request, CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/mark_tag", request, Json.MarkTagRequest, Json.ApiOk, creates: false, ct);
}

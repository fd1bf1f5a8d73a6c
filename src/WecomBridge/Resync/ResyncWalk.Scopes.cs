using WecomBridge.Contracts.Resync;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Resync;

internal sealed partial class ResyncWalk
{
    /// <summary>batch/get_by_user over the given members, 100 members per cursor walk.</summary>
    private async Task ContactsAsync(CancellationToken ct)
    {
        var who = corps.Contact(_run.Corp!);
        foreach (var members in job.UserIds.Chunk(100))
        {
            string? cursor = null;
            do
            {
                await PaceAsync("externalcontact/batch/get_by_user", ct);
                var page = await wecom.GetContactsByUserPageAsync(who, members, cursor, PageSize, ct);
                foreach (var pair in page.ExternalContactList ?? [])
                {
                    var id = NewId();
                    await PublishAsync(id, Contact(id, pair), ct);
                }
                await PageDoneAsync();
                cursor = string.IsNullOrEmpty(page.NextCursor) || page.NextCursor == cursor ? null : page.NextCursor;
            } while (cursor is not null);
        }
    }

    private ResyncContactRead Contact(string eventId, BatchContact pair)
    {
        var (contact, follow) = (pair.ExternalContact, pair.FollowInfo);
        return new(eventId, _run.Id, _run.Corp!, CorpId, time.GetUtcNow(), contact.ExternalUserId, contact.Name, contact.Type,
            contact.UnionId, follow.UserId, follow.Remark, follow.Description, follow.CreateTime, follow.AddWay, follow.State,
            follow.TagId ?? [.. (follow.Tags ?? []).Select(t => t.TagId).OfType<string>()]);
    }

    /// <summary>groupchat/list page by page (every status), then groupchat/get per chat.</summary>
    private async Task GroupChatsAsync(CancellationToken ct)
    {
        var who = corps.Contact(_run.Corp!);
        string? cursor = null;
        do
        {
            await PaceAsync("externalcontact/groupchat/list", ct);
            var page = await wecom.ListGroupChatsPageAsync(who, cursor, PageSize, statusFilter: 0, ct: ct);
            await ForEachAsync(page.GroupChatList ?? [], ct, async (status, c) =>
            {
                await PaceAsync("externalcontact/groupchat/get", c);
                var chat = await wecom.GetGroupChatAsync(who, status.ChatId, c);
                var members = chat.MemberList ?? [];
                var id = NewId();
                await PublishAsync(id, new ResyncGroupChatRead(id, _run.Id, _run.Corp!, CorpId, time.GetUtcNow(), chat.ChatId, status.Status,
                    chat.Name, chat.Owner, chat.CreateTime, chat.Notice, chat.MemberVersion,
                    [.. members.Where(m => m.Type == 1).Select(m => m.UserId)], [.. members.Where(m => m.Type == 2).Select(m => m.UserId)],
                    [.. (chat.AdminList ?? []).Select(a => a.UserId)]), c);
            });
            await PageDoneAsync();
            cursor = string.IsNullOrEmpty(page.NextCursor) || page.NextCursor == cursor ? null : page.NextCursor;
        } while (cursor is not null);
    }

    /// <summary>get_corp_tag_list: the whole catalog in one call.</summary>
    private async Task TagsAsync(CancellationToken ct)
    {
        await PaceAsync("externalcontact/get_corp_tag_list", ct);
        foreach (var group in await wecom.GetCorpTagsAsync(corps.Contact(_run.Corp!), ct: ct))
        {
            var id = NewId();
            var tags = (group.Tag ?? []).DistinctBy(t => t.Id).ToDictionary(t => t.Id, t => t.Name);
            await PublishAsync(id, new ResyncTagGroupRead(id, _run.Id, _run.Corp!, CorpId, time.GetUtcNow(), group.GroupId, group.GroupName,
                group.Order, group.Deleted, tags), ct);
        }
        await PageDoneAsync();
    }

    /// <summary>user/get page by page (10,000 openids each), then user/info per follower.</summary>
    private async Task FollowersAsync(CancellationToken ct)
    {
        var who = accounts.For(_run.Account!);
        string? next = null;
        while (true)
        {
            await PaceAsync("user/get", ct);
            var page = await oa.GetFollowersPageAsync(who, next, ct);
            await ForEachAsync(page.Data?.OpenIds ?? [], ct, async (openId, c) =>
            {
                await PaceAsync("user/info", c);
                var info = await oa.GetFollowerAsync(who, openId, ct: c);
                var id = NewId();
                await PublishAsync(id, new ResyncFollowerRead(id, _run.Id, _run.Account!, AppId, time.GetUtcNow(), openId, info.Subscribe == 1,
                    info.UnionId, info.SubscribeTime, info.SubscribeScene, info.Remark, info.TagIds ?? []), c);
            });
            await PageDoneAsync();
            if (page.Count == 0 || string.IsNullOrEmpty(page.NextOpenId) || page.NextOpenId == next) return;
            next = page.NextOpenId;
        }
    }
}

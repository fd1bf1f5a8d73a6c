using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Followers;
using WecomBridge.Contracts.GroupChats;
using WecomBridge.Contracts.Resync;

namespace WecomBridge.Tests.Pool;

/// <summary>The bridge's events as the pool receives them, with fresh event ids and times a test chooses.</summary>
public static class PoolEvents
{
    public const string Corp = "acme";
    public const string Account = "brand";
    public static readonly DateTimeOffset T0 = new(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    private static string Id() => Guid.NewGuid().ToString("N");

    public static ExternalContactAdded Added(string ext, string user, int at, string? state = null) =>
        new(Id(), Corp, "crm", "wwcorp", At(at), At(at), user, ext, state, null);

    public static ExternalContactHalfAdded HalfAdded(string ext, string user, int at, string? state = null) =>
        new(Id(), Corp, "crm", "wwcorp", At(at), At(at), user, ext, state, null);

    public static ExternalContactDeleted DeletedByEmployee(string ext, string user, int at, bool transfer = false) =>
        new(Id(), Corp, "crm", "wwcorp", At(at), At(at), user, ext, transfer ? "DELETE_BY_TRANSFER" : null, transfer);

    public static FollowUserDeleted DeletedByCustomer(string ext, string user, int at) =>
        new(Id(), Corp, "crm", "wwcorp", At(at), At(at), user, ext);

    public static ExternalContactSnapshotPublished Snapshot(string ext, int readAt, string? unionId = null, string? name = null,
        params FollowUser[] followUsers) =>
        new(Id(), Corp, "crm", "wwcorp", At(readAt), At(readAt), At(readAt), nameof(ExternalContactAdded), Id(),
            followUsers.FirstOrDefault()?.UserId ?? "zhangsan", ext, new ContactProfile(ext, name, 1, unionId, null, null, null, null, null),
            followUsers);

    public static FollowUser Follow(string user, int addedAt, string? state = null, string? remark = null, params string[] corpTags) =>
        new(user, remark, null, At(addedAt), 1, user, state,
            [.. corpTags.Select(t => new ContactTag("group", "tag " + t, t, 1)), new ContactTag(null, "mine", null, 2)], ["13800000000"]);

    public static ResyncContactRead ContactResync(string ext, string user, int readAt, string? unionId = null, string? state = null,
        string? name = null, string? remark = null, params string[] tags) =>
        new(Id(), Id(), Corp, "wwcorp", At(readAt), ext, name, 1, unionId, user, remark, null, At(0).ToUnixTimeSeconds(), 1, state, tags);

    public static GroupChatUpdated Joined(string chat, int at, params string[] members) =>
        new(Id(), Corp, "crm", "wwcorp", At(at), At(at), chat, "add_member", 3, null, members.Length, members, null, null);

    public static GroupChatUpdated Left(string chat, int at, params string[] members) =>
        new(Id(), Corp, "crm", "wwcorp", At(at), At(at), chat, "del_member", null, 0, members.Length, members, null, null);

    public static GroupChatDismissed Dismissed(string chat, int at) => new(Id(), Corp, "crm", "wwcorp", At(at), At(at), chat);

    public static GroupChatSnapshotPublished ChatSnapshot(string chat, int readAt, params string[] externalMembers) =>
        new(Id(), Corp, "crm", "wwcorp", At(readAt), At(readAt), At(readAt), nameof(GroupChatUpdated), Id(), chat, "chat name", "owner",
            At(0), null, [.. externalMembers.Select(m => new ChatMember(m, 2, At(1), 2, "owner", null, "nick", "Name"))], [], "v1", false, null);

    public static ResyncGroupChatRead ChatResync(string chat, int readAt, params string[] externalMembers) =>
        new(Id(), Id(), Corp, "wwcorp", At(readAt), chat, 0, "chat name", "owner", At(0).ToUnixTimeSeconds(), null, "v1", ["owner"],
            externalMembers, []);

    public static FollowerSubscribed Subscribed(string openId, int at, string? scene = null) =>
        new(Id(), Account, "wxapp", "gh_1", At(at), At(at), openId, scene, null);

    public static FollowerUnsubscribed Unsubscribed(string openId, int at) => new(Id(), Account, "wxapp", "gh_1", At(at), At(at), openId);

    public static FollowerSnapshotPublished FollowerSnapshot(string openId, int readAt, string? unionId, bool subscribed = true,
        string? remark = null, params int[] tags) =>
        new(Id(), Account, "wxapp", "gh_1", At(readAt), At(readAt), At(readAt), nameof(FollowerSubscribed), Id(), openId, subscribed,
            unionId, At(readAt - 1), "ADD_SCENE_QR_CODE", null, "winter-qr", tags, remark, "zh_CN");

    public static ResyncFollowerRead FollowerResync(string openId, int readAt, string? unionId, bool subscribed = true) =>
        new(Id(), Id(), Account, "wxapp", At(readAt), openId, subscribed, unionId, At(0).ToUnixTimeSeconds(), "ADD_SCENE_SEARCH", null, [7]);
}

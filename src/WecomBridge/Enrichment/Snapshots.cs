using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.GroupChats;
using WecomBridge.Contracts.Tags;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Enrichment;

/// <summary>WeCom API answers → the parts of the snapshot contracts (unix seconds → UTC timestamps, null lists → empty).</summary>
internal static class Snapshots
{
    public static DateTimeOffset Time(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

    public static ContactProfile Profile(ExternalContactProfile c) =>
        new(c.ExternalUserId, c.Name, c.Type, c.UnionId, c.Avatar, c.Gender, c.Position, c.CorpName, c.CorpFullName);

    public static FollowUser FollowUser(FollowUserInfo f) =>
        new(f.UserId, f.Remark, f.Description, Time(f.CreateTime), f.AddWay, f.OperUserId, f.State,
            (f.Tags ?? []).Select(t => new ContactTag(t.GroupName, t.TagName, t.TagId, t.Type)).ToArray(),
            f.RemarkMobiles ?? []);

    public static ChatMember Member(GroupChatMember m) =>
        new(m.UserId, m.Type, Time(m.JoinTime), m.JoinScene, m.Invitor?.UserId, m.UnionId, m.GroupNickname, m.Name);

    public static CatalogTagGroup TagGroup(CorpTagGroup g) =>
        new(g.GroupId, g.GroupName, Time(g.CreateTime), g.Order, g.Deleted,
            (g.Tag ?? []).Select(t => new CatalogTag(t.Id, t.Name, Time(t.CreateTime), t.Order, t.Deleted)).ToArray());
}

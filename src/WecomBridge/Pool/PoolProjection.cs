using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Followers;
using WecomBridge.Contracts.GroupChats;
using WecomBridge.Contracts.Resync;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>
/// Turns the bridge's events into the pool's changes, keeping only what the pool stores: ids, tags, times and channels;
/// names and remarks only when <see cref="PoolOptions.StoreNames"/> / <see cref="PoolOptions.StoreRemarks"/> say so,
/// phones never. Null for an event that changes nothing the pool keeps (a chat renamed, a notice changed).
/// </summary>
internal sealed class PoolProjection(IOptions<PoolOptions> options)
{
    /// <summary>The events the pool consumes, one queue each.</summary>
    public static readonly Type[] Events =
    [
        typeof(ExternalContactAdded), typeof(ExternalContactHalfAdded), typeof(ExternalContactDeleted), typeof(FollowUserDeleted),
        typeof(ExternalContactSnapshotPublished), typeof(ResyncContactRead),
        typeof(GroupChatUpdated), typeof(GroupChatDismissed), typeof(GroupChatSnapshotPublished), typeof(ResyncGroupChatRead),
        typeof(FollowerSubscribed), typeof(FollowerUnsubscribed), typeof(FollowerSnapshotPublished), typeof(ResyncFollowerRead),
        typeof(FollowerMessageReceived), typeof(MenuClicked), typeof(MenuLinkViewed), typeof(FollowerScanned),
    ];

    /// <summary>Corp tags (type 1) with an id: personal tags have no id and are the member's own.</summary>
    private const int CorpTag = 1;

    private readonly PoolOptions _options = options.Value;

    public PoolChange? Map(object message) => message switch
    {
        ExternalContactAdded m => new RelationAdded(m.Corp, m.ExternalUserId, m.UserId, m.OccurredAt, m.State),
        ExternalContactHalfAdded m => new RelationAdded(m.Corp, m.ExternalUserId, m.UserId, m.OccurredAt, m.State),
        ExternalContactDeleted m => new RelationDeleted(m.Corp, m.ExternalUserId, m.UserId, m.OccurredAt,
            m.DeletedByTransfer ? RelationDeleted.Transfer : RelationDeleted.Employee),
        FollowUserDeleted m => new RelationDeleted(m.Corp, m.ExternalUserId, m.UserId, m.OccurredAt, RelationDeleted.Customer),
        ExternalContactSnapshotPublished m => new ContactRead(m.Corp, m.ExternalUserId, m.Contact.Type, m.Contact.UnionId,
            Name(m.Contact.Name), m.ReadAt, [.. m.FollowUsers.Select(f => new RelationRead(f.UserId, f.CreatedAt, f.AddWay, f.State,
                Remark(f.Remark), [.. f.Tags.Where(t => t.Type == CorpTag && t.TagId is not null).Select(t => t.TagId!).Distinct()]))]),
        ResyncContactRead m => new ContactRead(m.Corp, m.ExternalUserId, m.Type, m.UnionId, Name(m.Name), m.ReadAt,
            [new RelationRead(m.FollowUserId, DateTimeOffset.FromUnixTimeSeconds(m.CreateTime), m.AddWay, m.State, Remark(m.Remark),
                [.. m.TagIds.Distinct()])]),
        GroupChatUpdated m => Members(m),
        GroupChatDismissed m => new ChatDismissed(m.Corp, m.ChatId, m.OccurredAt),
        GroupChatSnapshotPublished m => new ChatMembersRead(m.Corp, m.ChatId, m.ReadAt,
            [.. m.Members.Select(x => new ChatMemberRead(x.UserId, x.Type, x.JoinedAt, x.JoinScene))]),
        ResyncGroupChatRead m => new ChatMembersRead(m.Corp, m.ChatId, m.ReadAt,
            [.. m.MemberUserIds.Select(id => new ChatMemberRead(id, 1, null, null)),
             .. m.ExternalMemberIds.Select(id => new ChatMemberRead(id, 2, null, null))]),
        FollowerSubscribed m => new FollowerSubscription(m.Account, m.OpenId, m.OccurredAt, true, m.Scene),
        FollowerUnsubscribed m => new FollowerSubscription(m.Account, m.OpenId, m.OccurredAt, false, null),
        FollowerSnapshotPublished m => new FollowerRead(m.Account, m.OpenId, m.ReadAt, m.Subscribed, m.UnionId, m.SubscribedAt,
            m.QrSceneStr ?? m.QrScene?.ToString(System.Globalization.CultureInfo.InvariantCulture), m.SubscribeScene,
            [.. m.TagIds.Distinct()], Remark(m.Remark)),
        ResyncFollowerRead m => new FollowerRead(m.Account, m.OpenId, m.ReadAt, m.Subscribed, m.UnionId,
            m.SubscribeTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : null, null, m.SubscribeScene,
            [.. m.TagIds.Distinct()], Remark(m.Remark)),
        FollowerMessageReceived m => new FollowerInteraction(m.Account, m.OpenId, m.OccurredAt, InteractionKinds.Message),
        MenuClicked m => new FollowerInteraction(m.Account, m.OpenId, m.OccurredAt, InteractionKinds.MenuClick),
        MenuLinkViewed m => new FollowerInteraction(m.Account, m.OpenId, m.OccurredAt, InteractionKinds.MenuView),
        FollowerScanned m => new FollowerInteraction(m.Account, m.OpenId, m.OccurredAt, InteractionKinds.Scan),
        _ => null,
    };

    /// <summary>The event's id, for the pool's deduplication.</summary>
    public static string EventId(object message) => message switch
    {
        ExternalContactAdded m => m.EventId, ExternalContactHalfAdded m => m.EventId, ExternalContactDeleted m => m.EventId,
        FollowUserDeleted m => m.EventId, ExternalContactSnapshotPublished m => m.EventId, ResyncContactRead m => m.EventId,
        GroupChatUpdated m => m.EventId, GroupChatDismissed m => m.EventId, GroupChatSnapshotPublished m => m.EventId,
        ResyncGroupChatRead m => m.EventId, FollowerSubscribed m => m.EventId, FollowerUnsubscribed m => m.EventId,
        FollowerSnapshotPublished m => m.EventId, ResyncFollowerRead m => m.EventId,
        FollowerMessageReceived m => m.EventId, MenuClicked m => m.EventId, MenuLinkViewed m => m.EventId, FollowerScanned m => m.EventId,
        _ => throw new ArgumentException($"The pool does not consume {message.GetType().Name}", nameof(message)),
    };

    /// <summary>add_member / del_member; the update's JoinScene 3 is a QR scan (as in groupchat/get), 0 does not tell direct from link.</summary>
    private static ChatMembersChanged? Members(GroupChatUpdated m) => m.UpdateDetail switch
    {
        "add_member" => new ChatMembersChanged(m.Corp, m.ChatId, m.OccurredAt, true, m.JoinScene == 3 ? 3 : null, m.MemberChanges),
        "del_member" => new ChatMembersChanged(m.Corp, m.ChatId, m.OccurredAt, false, null, m.MemberChanges),
        _ => null,
    };

    private string? Name(string? name) => _options.StoreNames ? name : null;

    private string? Remark(string? remark) => _options.StoreRemarks ? remark : null;
}

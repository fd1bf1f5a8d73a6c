namespace WecomBridge.Pool;

/// <summary>The rows of the in-memory pool, each applying a change only when it is not older than the row's last one.</summary>
internal sealed partial class InMemoryPoolStore
{
    private sealed class ContactRow
    {
        public int? Type;
        public string? UnionId;
        public string? Name;
        public DateTimeOffset FirstSeenAt;
        public DateTimeOffset? ProfileAt;

        // Activity and stage (columns of 0002_activity.sql): kept by the activity and stage code.
        public DateTimeOffset? LastInteractionAt { get; set; }
        public string? LastInteractionKind { get; set; }
        public string Stage { get; set; } = "new";
        public DateTimeOffset? StageChangedAt { get; set; }
        public DateTimeOffset? BurstFlaggedAt { get; set; }
    }

    private sealed class RelationRow
    {
        public DateTimeOffset? AddedAt, DeletedAt, TagsAt;
        public DateTimeOffset ChangedAt;
        public int? AddWay;
        public string? State, Remark, DeletedBy;
        public IReadOnlyList<string> TagIds = [];

        public void Added(RelationAdded c)
        {
            if (ChangedAt > c.At) return;
            (AddedAt, State, DeletedAt, DeletedBy, ChangedAt) = (c.At, c.State, null, null, c.At);
        }

        public void Deleted(RelationDeleted c)
        {
            if (ChangedAt > c.At) return;
            (DeletedAt, DeletedBy, ChangedAt) = (c.At, c.DeletedBy, c.At);
        }

        public void Read(RelationRead r, DateTimeOffset at)
        {
            if (TagsAt is null || TagsAt <= at) (TagIds, TagsAt) = (r.TagIds, at);
            if (ChangedAt > at) return;
            (AddedAt, AddWay, State, Remark, DeletedAt, DeletedBy, ChangedAt) = (r.AddedAt, r.AddWay, r.State, r.Remark, null, null, at);
        }
    }

    private sealed class MemberRow
    {
        public int? Type, JoinScene;
        public DateTimeOffset? JoinedAt, LeftAt;
        public DateTimeOffset ChangedAt;

        public void Joined(DateTimeOffset at, int? type, DateTimeOffset? joinedAt, int? joinScene)
        {
            (Type, JoinedAt, JoinScene) = (type ?? Type, joinedAt ?? JoinedAt, joinScene ?? JoinScene);
            (LeftAt, ChangedAt) = (null, at);
        }

        public void Left(DateTimeOffset at) => (LeftAt, ChangedAt) = (at, at);
    }

    private sealed class FollowerRow
    {
        public string? UnionId, Scene, SubscribeScene, Remark;
        public bool Subscribed;
        public DateTimeOffset? SubscribedAt, UnsubscribedAt;
        public DateTimeOffset ChangedAt, FirstSeenAt;
        public IReadOnlyList<int> TagIds = [];
        public DateTimeOffset? LastInteractionAt { get; set; }
        public string? LastInteractionKind { get; set; }

        public void Subscription(FollowerSubscription c)
        {
            if (ChangedAt > c.At) return;
            Subscribed = c.Subscribed;
            if (c.Subscribed) (SubscribedAt, Scene) = (c.At, c.Scene);
            else UnsubscribedAt = c.At;
            ChangedAt = c.At;
        }

        public void Read(FollowerRead c)
        {
            UnionId = c.UnionId ?? UnionId;
            if (ChangedAt > c.At) return;
            (Subscribed, SubscribedAt, Scene) = (c.Subscribed, c.SubscribedAt ?? SubscribedAt, c.Scene ?? Scene);
            (SubscribeScene, TagIds, Remark, ChangedAt) = (c.SubscribeScene ?? SubscribeScene, c.TagIds, c.Remark, c.At);
        }
    }
}

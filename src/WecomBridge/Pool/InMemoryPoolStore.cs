using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>
/// The pool in memory, for the embedded mode (one process, nothing installed): the same rules as PostgreSQL (a change
/// applies once per event id, and to a row only when it is not older than the row's last change), lost on restart.
/// </summary>
internal sealed partial class InMemoryPoolStore : IPoolStore
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _applied = [];
    private readonly Dictionary<(string Corp, string Ext), ContactRow> _contacts = [];
    private readonly Dictionary<(string Corp, string Ext, string User), RelationRow> _relations = [];
    private readonly Dictionary<(string Corp, string Chat, string Member), MemberRow> _members = [];
    private readonly Dictionary<(string Corp, string Chat), DateTimeOffset> _dismissed = [];
    private readonly Dictionary<(string Account, string OpenId), FollowerRow> _followers = [];

    public Task<bool> ApplyAsync(string eventId, PoolChange change, CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (!_applied.Add(eventId)) return Task.FromResult(false);
            _appliedAt.Enqueue((eventId, _time.GetUtcNow())); // InMemoryPoolStore.Privacy.cs: pruning, erasures
            if (Unerased(change) is not { } kept) return Task.FromResult(true);
            change = kept;
            switch (change)
            {
                case RelationAdded c: Relation(c.Corp, c.ExternalUserId, c.UserId, c.At, r => r.Added(c)); break;
                case RelationDeleted c: Relation(c.Corp, c.ExternalUserId, c.UserId, c.At, r => r.Deleted(c)); break;
                case ContactRead c: Apply(c); break;
                case ChatMembersRead c: Apply(c); break;
                case ChatMembersChanged c: Apply(c); break;
                case ChatDismissed c: Apply(c); break;
                case FollowerSubscription c: Follower(c.Account, c.OpenId, c.At).Subscription(c); break;
                case FollowerRead c: Follower(c.Account, c.OpenId, c.At).Read(c); break;
                case ContactInteraction or FollowerInteraction: break; // activity only, below
                default: throw new ArgumentException($"Unknown pool change {change.GetType().Name}", nameof(change));
            }
            if (Activity(change)) _rules.Outbox.Notify();
            return Task.FromResult(true);
        }
    }

    private ContactRow Contact(string corp, string ext, DateTimeOffset at)
    {
        if (!_contacts.TryGetValue((corp, ext), out var row)) _contacts[(corp, ext)] = row = new ContactRow { FirstSeenAt = at };
        return row;
    }

    private void Relation(string corp, string ext, string user, DateTimeOffset at, Action<RelationRow> apply)
    {
        Contact(corp, ext, at);
        if (!_relations.TryGetValue((corp, ext, user), out var row)) _relations[(corp, ext, user)] = row = new RelationRow { ChangedAt = at };
        apply(row);
    }

    private void Apply(ContactRead c)
    {
        var contact = Contact(c.Corp, c.ExternalUserId, c.At);
        contact.UnionId = c.UnionId ?? contact.UnionId; // a unionid never changes: any read that has it may fill it in
        if (contact.ProfileAt is null || contact.ProfileAt <= c.At)
        {
            (contact.Type, contact.Name, contact.ProfileAt) = (c.Type, c.Name, c.At);
        }
        foreach (var r in c.Relations) Relation(c.Corp, c.ExternalUserId, r.UserId, c.At, row => row.Read(r, c.At));
    }

    private void Apply(ChatMembersRead c)
    {
        var present = c.Members.Select(m => m.MemberId).ToHashSet();
        if (!Dismissed(c.Corp, c.ChatId, c.At))
            foreach (var m in c.Members) Member(c.Corp, c.ChatId, m.MemberId, c.At)?.Joined(c.At, m.Type, m.JoinedAt, m.JoinScene);
        foreach (var (key, row) in _members)
            if (key.Corp == c.Corp && key.Chat == c.ChatId && !present.Contains(key.Member) && row.LeftAt is null && row.ChangedAt <= c.At)
                row.Left(c.At);
    }

    private void Apply(ChatMembersChanged c)
    {
        if (c.Joined && Dismissed(c.Corp, c.ChatId, c.At)) return;
        foreach (var id in c.MemberIds)
        {
            var row = Member(c.Corp, c.ChatId, id, c.At);
            if (row is null) continue;
            if (c.Joined) row.Joined(c.At, null, c.At, c.JoinScene);
            else row.Left(c.At);
        }
    }

    private void Apply(ChatDismissed c)
    {
        if (!_dismissed.TryGetValue((c.Corp, c.ChatId), out var was) || was < c.At) _dismissed[(c.Corp, c.ChatId)] = c.At;
        foreach (var (key, row) in _members)
            if (key.Corp == c.Corp && key.Chat == c.ChatId && row.LeftAt is null && row.ChangedAt <= c.At) row.Left(c.At);
    }

    private bool Dismissed(string corp, string chat, DateTimeOffset at) => _dismissed.TryGetValue((corp, chat), out var d) && d >= at;

    /// <summary>The member's row when a change at <paramref name="at"/> may apply to it (none newer applied), else null.</summary>
    private MemberRow? Member(string corp, string chat, string member, DateTimeOffset at)
    {
        if (!_members.TryGetValue((corp, chat, member), out var row)) return _members[(corp, chat, member)] = new MemberRow { ChangedAt = at };
        return row.ChangedAt <= at ? row : null;
    }

    private FollowerRow Follower(string account, string openId, DateTimeOffset at)
    {
        if (!_followers.TryGetValue((account, openId), out var row))
            _followers[(account, openId)] = row = new FollowerRow { ChangedAt = at, FirstSeenAt = at };
        return row;
    }
}

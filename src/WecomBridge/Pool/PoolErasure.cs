using System.Security.Cryptography;
using System.Text;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>
/// A person the pool may hold and an operator may erase: a corp's external contact or an Official Account's follower.
/// <see cref="Hash"/> is what the erasure's tombstone keeps (SHA-256 of kind, scope and id): the pool can tell that an
/// event names an erased person without keeping the person's id. <see cref="LockScope"/> is the corp or account whose
/// changes an erasure waits for (<see cref="PostgresPoolStore"/>).
/// </summary>
internal sealed record PoolSubject(string Kind, string Scope, string Id)
{
    public const string ContactKind = "contact";
    public const string FollowerKind = "follower";

    public static PoolSubject Contact(string corp, string externalUserId) => new(ContactKind, corp, externalUserId);

    public static PoolSubject Follower(string account, string openId) => new(FollowerKind, account, openId);

    public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Kind}|{Scope}|{Id}")));

    public string LockScope => PoolErasure.LockScope(Kind, Scope);
}

/// <summary>What a change names, and the change without the people erased after it.</summary>
internal static class PoolErasure
{
    public static string LockScope(string kind, string scope) => (kind == PoolSubject.FollowerKind ? "oa:" : "corp:") + scope;

    /// <summary>The corp or account a change belongs to (as <see cref="LockScope"/>) and the people it names.</summary>
    public static (string LockScope, IReadOnlyList<PoolSubject> Subjects) Of(PoolChange change) => change switch
    {
        RelationAdded c => One(PoolSubject.Contact(c.Corp, c.ExternalUserId)),
        RelationDeleted c => One(PoolSubject.Contact(c.Corp, c.ExternalUserId)),
        ContactRead c => One(PoolSubject.Contact(c.Corp, c.ExternalUserId)),
        ChatMembersRead c => (LockScope(PoolSubject.ContactKind, c.Corp),
            [.. c.Members.Select(m => m.MemberId).Distinct().Select(id => PoolSubject.Contact(c.Corp, id))]),
        ChatMembersChanged c => (LockScope(PoolSubject.ContactKind, c.Corp),
            [.. c.MemberIds.Distinct().Select(id => PoolSubject.Contact(c.Corp, id))]),
        ChatDismissed c => (LockScope(PoolSubject.ContactKind, c.Corp), []),
        FollowerSubscription c => One(PoolSubject.Follower(c.Account, c.OpenId)),
        FollowerRead c => One(PoolSubject.Follower(c.Account, c.OpenId)),
        ContactInteraction c => One(PoolSubject.Contact(c.Corp, c.ExternalUserId)),
        FollowerInteraction c => One(PoolSubject.Follower(c.Account, c.OpenId)),
        _ => throw new ArgumentException($"Unknown pool change {change.GetType().Name}", nameof(change)),
    };

    private static (string, IReadOnlyList<PoolSubject>) One(PoolSubject subject) => (subject.LockScope, [subject]);

    /// <summary>
    /// The change without the people erased at or after its time (<paramref name="erasedIds"/>): null when it names only
    /// them, so that an older event still in flight does not bring an erased person back.
    /// </summary>
    public static PoolChange? Without(PoolChange change, IReadOnlySet<string> erasedIds) => erasedIds.Count == 0 ? change : change switch
    {
        ChatMembersRead c => c with { Members = [.. c.Members.Where(m => !erasedIds.Contains(m.MemberId))] },
        ChatMembersChanged c => c.MemberIds.Where(id => !erasedIds.Contains(id)).ToList() is { Count: > 0 } left
            ? c with { MemberIds = left } : null,
        ChatDismissed => change,
        _ => null,
    };
}

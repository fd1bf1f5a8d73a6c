namespace WecomBridge.Pool;

/// <summary>
/// The contact pool: PostgreSQL (<see cref="PostgresPoolStore"/>) when ConnectionStrings:Postgres is set, else memory
/// (<see cref="InMemoryPoolStore"/>, one process). Both apply a change once per event id and let the newer fact win.
/// </summary>
internal interface IPoolStore
{
    /// <summary>Applies <paramref name="change"/> unless <paramref name="eventId"/> was applied before; false for a duplicate.</summary>
    Task<bool> ApplyAsync(string eventId, PoolChange change, CancellationToken ct = default);

    /// <summary>A contact of a corp with its relations, tags, group chats and the followers that share its unionid.</summary>
    Task<PoolContact?> GetContactAsync(string corp, string externalUserId, CancellationToken ct = default);

    /// <summary>One page of a corp's contacts in external user id order, after <see cref="ContactQuery.After"/>.</summary>
    Task<IReadOnlyList<PoolContactSummary>> ListContactsAsync(ContactQuery query, CancellationToken ct = default);

    /// <summary>A follower of an Official Account.</summary>
    Task<PoolFollower?> GetFollowerAsync(string account, string openId, CancellationToken ct = default);

    /// <summary>The contacts of every corp that share this unionid (an Official Account follower's link), at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<(string Corp, string ExternalUserId)>> ContactsOfUnionAsync(string unionId, int max, CancellationToken ct = default);

    /// <summary>
    /// Erases a contact (its row, relations and group memberships) or a follower and leaves a tombstone at
    /// <paramref name="at"/>: a later change older than it does not bring the person back. True when rows were removed.
    /// </summary>
    Task<bool> EraseAsync(PoolSubject subject, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>One retention pass (<see cref="PoolRetentionPass"/>); null when another instance is running one.</summary>
    Task<PoolPruned?> PruneAsync(PoolCutoffs cutoffs, int batchSize, CancellationToken ct = default);
}

/// <summary>
/// Contacts with an active relation that matches every filter given (one relation matches all of them: "added through
/// this state after this time and tagged so"); <see cref="After"/> the last external user id of the previous page.
/// </summary>
internal sealed record ContactQuery(string Corp, string? State, string? Tag, DateTimeOffset? AddedAfter, int Limit, string? After);

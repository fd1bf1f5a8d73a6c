namespace WecomBridge.Sending.Suppression;

/// <summary>
/// Recipients never to send to, kept from events (a customer deleted the employee, the employee deleted the
/// customer, a follower unsubscribed or blocked template messages) and editable by operators. A scope is
/// `wecom:{corp}` or `oa:{account}`; a WeCom recipient is `{userId}/{externalUserId}` (the pair: the customer
/// may still follow other employees) or `*/{externalUserId}` (every member), an OA recipient its openid. Redis (shared) or in memory.
/// Changes apply in the order of their time, not of their arrival (events are redelivered and spooled): each add or
/// remove carries its time (an event's, or an operator's request time) and is ignored when the recipient's last
/// applied change is newer; a remove leaves that time behind (a tombstone), so an older add arriving later is ignored.
/// Changes at the same time apply in arrival order.
/// </summary>
internal interface ISuppressionList
{
    /// <summary>False when a newer change of the recipient was applied already (nothing changed).</summary>
    Task<bool> AddAsync(string scope, string recipient, string reason, DateTimeOffset at);

    /// <summary>
    /// True when an entry was removed. With <paramref name="onlyReason"/>, only an entry of that reason is removed
    /// (another reason: nothing changes). A remove older than the last applied change does nothing.
    /// </summary>
    Task<bool> RemoveAsync(string scope, string recipient, DateTimeOffset at, string? onlyReason = null);
    Task<Suppression?> FindAsync(string scope, string recipient);

    /// <summary>Which of <paramref name="recipients"/> are on the list (one round trip).</summary>
    Task<IReadOnlySet<string>> FindManyAsync(string scope, IReadOnlyList<string> recipients);
}

public sealed record Suppression(string Reason, DateTimeOffset At);

internal static class SuppressionScopes
{
    public static string WeCom(string corp) => "wecom:" + corp;
    public static string Account(string account) => "oa:" + account;
    public static string Pair(string userId, string externalUserId) => userId + "/" + externalUserId;

    /// <summary>A customer suppressed for every member (set through the API without a member).</summary>
    public static string AnyMember(string externalUserId) => "*/" + externalUserId;
}

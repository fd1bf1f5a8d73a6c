namespace WecomBridge.Sending.Suppression;

/// <summary>
/// Recipients never to send to, kept from events (a customer deleted the employee, the employee deleted the
/// customer, a follower unsubscribed or blocked template messages) and editable by operators. A scope is
/// `wecom:{corp}` or `oa:{account}`; a WeCom recipient is `{userId}/{externalUserId}` (the pair: the customer
/// may still follow other employees) or `*/{externalUserId}` (every member), an OA recipient its openid. Redis (shared) or in memory.
/// </summary>
internal interface ISuppressionList
{
    Task AddAsync(string scope, string recipient, string reason, DateTimeOffset at);
    Task<bool> RemoveAsync(string scope, string recipient);
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

using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Sending;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Dispatcher;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// The shared rate-limit buckets a send takes its permits from, all in one reservation: the corp's (or account's)
/// bucket for the API (paced; shared with re-sync and everything else calling it), the sender's task bucket and each
/// member's app-message bucket (counted).
/// </summary>
internal sealed class SendBuckets(IOptionsMonitor<SendPolicyOptions> policies, ApiLimits apis)
{
    public IReadOnlyList<RateBucket> For(SendRequested send)
    {
        var api = ApiOf(send);
        if (send.Account is not null || send.Corp is not { } corp) return [api];
        var policy = policies.Get(corp);
        var buckets = new List<RateBucket> { api };
        var sender = send.CustomerTask?.Sender ?? send.GroupTask?.Sender;
        if (sender is not null)
            buckets.Add(RateBucket.Counted($"wecom:{corp}:sender:{sender}", new RateLimit(policy.SenderTasksPerDay, TimeSpan.FromDays(1))));
        if (send.EmployeeMessage is { ToAll: false, ToUsers: { } members })
        {
            var perMember = new RateLimit(policy.MemberMessagesPerMinute, TimeSpan.FromMinutes(1));
            buckets.AddRange(members.Distinct().Select(m => RateBucket.Counted($"wecom:{corp}:member:{m}", perMember)));
        }
        return buckets;
    }

    /// <summary>The send's call, for the client's retries and concurrency slots.</summary>
    public PacedCall Call(SendRequested send) => apis.Call(ApiOf(send), SendCalls.ApiOf(send.Kind), send.Corp, send.Account);

    /// <summary>The corp's (or account's) bucket of the send's API: the one a 45009 pauses.</summary>
    public static string ApiBucket(SendRequested send) => send.Account is { } account
        ? ApiLimits.AccountKey(account, SendCalls.ApiOf(send.Kind))
        : ApiLimits.CorpKey(send.Corp!, SendCalls.ApiOf(send.Kind));

    private RateBucket ApiOf(SendRequested send) => send.Account is { } account
        ? apis.ForAccount(account, SendCalls.ApiOf(send.Kind))
        : apis.ForCorp(send.Corp!, SendCalls.ApiOf(send.Kind));
}

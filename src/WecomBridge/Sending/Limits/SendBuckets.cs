using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Sending;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Dispatcher;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// The shared rate-limit buckets a send takes a permit from, in order: the corp's (or account's) bucket for the API
/// (shared with re-sync and everything else calling it), the sender's task bucket, each member's app-message bucket.
/// </summary>
internal sealed class SendBuckets(IOptionsMonitor<SendPolicyOptions> policies)
{
    public IReadOnlyList<(string Bucket, RateLimit Limit)> For(SendRequested send)
    {
        var api = SendCalls.ApiOf(send.Kind);
        if (send.Account is { } account) return [(ApiBucket(send), policies.CurrentValue.ApiCalls)];
        var policy = policies.Get(send.Corp);
        var buckets = new List<(string, RateLimit)> { (ApiBucket(send), policy.ApiCalls) };
        var sender = send.CustomerTask?.Sender ?? send.GroupTask?.Sender;
        if (sender is not null) buckets.Add(($"wecom:{send.Corp}:sender:{sender}", new RateLimit(policy.SenderTasksPerDay, TimeSpan.FromDays(1))));
        if (send.EmployeeMessage is { ToAll: false, ToUsers: { } members })
        {
            var perMember = new RateLimit(policy.MemberMessagesPerMinute, TimeSpan.FromMinutes(1));
            buckets.AddRange(members.Select(m => ($"wecom:{send.Corp}:member:{m}", perMember)));
        }
        return buckets;
    }

    /// <summary>The corp's (or account's) bucket of the send's API: the one a 45009 pauses.</summary>
    public static string ApiBucket(SendRequested send) => send.Account is { } account
        ? $"oa:{account}:{SendCalls.ApiOf(send.Kind)}"
        : $"wecom:{send.Corp}:{SendCalls.ApiOf(send.Kind)}";
}

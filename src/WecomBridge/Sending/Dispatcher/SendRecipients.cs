using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>
/// The recipients the dispatcher can check before a send: the customers of a customer task (when listed), the chats
/// of a group task (caps only) and the follower of an Official Account message. Tag filters, "all of a sender's
/// customers" and moments are expanded by WeCom itself: WeCom applies its caps to them, the suppression list cannot.
/// </summary>
internal static class SendRecipients
{
    /// <summary>Recipients counted against the customer cap (customers or chats), in the corp's calendar.</summary>
    public static IReadOnlyList<string> Capped(SendRequested send) => send.Kind switch
    {
        SendKinds.CustomerTask => send.CustomerTask!.ExternalUserIds ?? [],
        SendKinds.GroupTask => send.GroupTask!.ChatIds ?? [],
        _ => [],
    };

    /// <summary>Recipients on the suppression list, by the id the request used.</summary>
    public static async Task<IReadOnlyList<string>> SuppressedAsync(SendRequested send, ISuppressionList list)
    {
        switch (send.Kind)
        {
            case SendKinds.CustomerTask when send.CustomerTask!.ExternalUserIds is { Count: > 0 } customers:
            {
                var sender = send.CustomerTask.Sender;
                var keys = customers.Select(SuppressionScopes.AnyMember).ToList();
                if (sender is not null) keys.AddRange(customers.Select(c => SuppressionScopes.Pair(sender, c)));
                var found = await list.FindManyAsync(SuppressionScopes.WeCom(send.Corp!), keys);
                return customers.Where(c => found.Contains(SuppressionScopes.AnyMember(c))
                    || sender is not null && found.Contains(SuppressionScopes.Pair(sender, c))).ToArray();
            }
            case SendKinds.Template or SendKinds.CustomerService:
            {
                var openId = send.Template?.OpenId ?? send.CustomerService!.OpenId;
                return (await list.FindManyAsync(SuppressionScopes.Account(send.Account!), [openId])).Count > 0 ? [openId] : [];
            }
            default:
                return [];
        }
    }

    /// <summary>The send without <paramref name="left"/>; null when nobody is left to send to.</summary>
    public static SendRequested? Without(SendRequested send, IReadOnlyCollection<string> left)
    {
        if (left.Count == 0) return send;
        var set = left.ToHashSet(StringComparer.Ordinal);
        switch (send.Kind)
        {
            case SendKinds.CustomerTask:
                var customers = send.CustomerTask!.ExternalUserIds!.Where(c => !set.Contains(c)).ToArray();
                return customers.Length == 0 ? null : send with { CustomerTask = send.CustomerTask with { ExternalUserIds = customers } };
            case SendKinds.GroupTask:
                var chats = send.GroupTask!.ChatIds!.Where(c => !set.Contains(c)).ToArray();
                return chats.Length == 0 ? null : send with { GroupTask = send.GroupTask with { ChatIds = chats } };
            default:
                return null; // a single recipient (OA), now left out
        }
    }

    /// <summary>Customer-facing kinds wait out the corp's quiet hours; welcome, employee and Official Account messages do not.</summary>
    public static bool KeepsQuietHours(string kind) => kind is SendKinds.CustomerTask or SendKinds.GroupTask or SendKinds.MomentTask;
}

using WecomBridge.Pool;
using WecomBridge.Pool.Segments;
using WecomBridge.Sending.Suppression;

namespace WecomBridge.Sending.Audience;

/// <summary>
/// Who sends to each contact of a page. A customer task is sent by a member to their own customers, so each contact
/// goes to one member who follows it (an active relation in the pool): the task's sender when one is given (a contact
/// that member does not follow is unreachable), else the member who added the contact first (ties: the smaller user
/// id), passing over members whose pair with the contact is on the suppression list. A contact suppressed for every
/// member, or whose every relation is suppressed, is suppressed. Each contact is sent once, by one member.
/// </summary>
internal sealed record AudiencePlan(IReadOnlyList<KeyValuePair<string, string>> Senders, int Suppressed, int Unreachable)
{
    public static async Task<AudiencePlan> ForAsync(string corp, string? sender, IReadOnlyList<SegmentContact> page, ISuppressionList list)
    {
        var candidates = page.Select(c => (c.ExternalUserId, Relations: Ordered(c.Relations, sender))).ToList();
        var keys = candidates.SelectMany(c => c.Relations.Select(r => SuppressionScopes.Pair(r.UserId, c.ExternalUserId))
            .Prepend(SuppressionScopes.AnyMember(c.ExternalUserId))).ToList();
        var found = await list.FindManyAsync(SuppressionScopes.WeCom(corp), keys);
        var senders = new List<KeyValuePair<string, string>>(page.Count);
        int suppressed = 0, unreachable = 0;
        foreach (var (contact, relations) in candidates)
        {
            if (relations.Count == 0)
            {
                unreachable++;
                continue;
            }
            var member = found.Contains(SuppressionScopes.AnyMember(contact)) ? null
                : relations.FirstOrDefault(r => !found.Contains(SuppressionScopes.Pair(r.UserId, contact)))?.UserId;
            if (member is null) suppressed++;
            else senders.Add(new(contact, member));
        }
        return new AudiencePlan(senders, suppressed, unreachable);
    }

    /// <summary>The relations that may send, in the order they are tried: earliest added first (unknown times last).</summary>
    private static List<PoolRelationSummary> Ordered(IReadOnlyList<PoolRelationSummary> relations, string? sender) =>
        [.. relations.Where(r => sender is null || r.UserId == sender)
            .OrderBy(r => r.AddedAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.UserId, StringComparer.Ordinal)];
}

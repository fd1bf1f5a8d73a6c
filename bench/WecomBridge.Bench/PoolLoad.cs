using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.GroupChats;
using WecomBridge.Contracts.Resync;

namespace WecomBridge.Bench;

/// <summary>
/// A year of a corp's customer events, deterministic: contact i is added by one of 200 members through one of 20
/// channels (contact way states) at a time spread over the last 365 days, then read (re-sync item) with 1–3 of 50 corp
/// tags; one in five is added by a second member too; one in ten is deleted later (by the member or the customer);
/// every 50 contacts a group chat gains the last 10 of them.
/// </summary>
internal static class PoolLoad
{
    public static IEnumerable<object> Events(string corp, DateTimeOffset now, int count)
    {
        var random = new Random(18);
        for (var i = 0; i < count; i++)
        {
            var ext = $"wm{i:D9}";
            var user = $"member{random.Next(200):D3}";
            var state = $"channel-{random.Next(20):D2}";
            var addedAt = now.AddSeconds(-random.Next(365 * 86_400));
            yield return new ExternalContactAdded(Id(), corp, "crm", "wwbench", addedAt, addedAt, user, ext, state, null);
            var tags = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => $"tag-{random.Next(50):D2}").Distinct().ToArray();
            yield return new ResyncContactRead(Id(), "bench", corp, "wwbench", addedAt.AddMinutes(1), ext, null, 1, $"ou{i:D9}", user, null,
                null, addedAt.ToUnixTimeSeconds(), 1, state, tags);
            if (random.Next(5) == 0)
            {
                var second = addedAt.AddDays(random.Next(30));
                yield return new ExternalContactAdded(Id(), corp, "crm", "wwbench", second, second, $"member{random.Next(200):D3}", ext,
                    $"channel-{random.Next(20):D2}", null);
            }
            if (random.Next(10) == 0)
            {
                var deletedAt = addedAt.AddDays(1 + random.Next(60));
                yield return random.Next(2) == 0
                    ? new ExternalContactDeleted(Id(), corp, "crm", "wwbench", deletedAt, deletedAt, user, ext, null, false)
                    : new FollowUserDeleted(Id(), corp, "crm", "wwbench", deletedAt, deletedAt, user, ext);
            }
            if (i % 50 == 49)
                yield return new GroupChatUpdated(Id(), corp, "crm", "wwbench", addedAt, addedAt, $"wrchat{i / 50:D7}", "add_member", 3, null,
                    10, [.. Enumerable.Range(i - 9, 10).Select(j => $"wm{j:D9}")], null, null);
        }
    }

    private static string Id() => Guid.NewGuid().ToString("N");
}

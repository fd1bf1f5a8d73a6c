using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.GroupChats;
using WecomBridge.Contracts.Resync;

namespace WecomBridge.Bench;

/// <summary>
/// A year of a corp's customer events, deterministic per contact (the shape <see cref="PoolFill"/> writes in SQL for the
/// rest of the pool): contact i is added by one of 200 members through one of 20 channels (contact way states; a few
/// channels bring most contacts) at a time in the last 365 days, more of them recent; then read (re-sync item) with 1–4
/// tags of a catalogue of 200 (a few tags are on most contacts) and, for 60 %, a unionid; one in five is added by a
/// second member too, one in twenty by a third; one in ten loses its first relation later (deleted by the member or the
/// customer); 40 % of those with a unionid follow the Official Account `benchoa`; every 50 contacts a group chat gains
/// the last 10 of them.
/// </summary>
internal static class PoolLoad
{
    public const string Account = "benchoa";

    public static IEnumerable<object> Events(string corp, DateTimeOffset now, int from, int count)
    {
        for (var i = from; i < from + count; i++)
            foreach (var e in Contact(corp, now, i)) yield return e;
    }

    /// <summary>A value in [0, n) where the low ones are much more frequent (u^power · n).</summary>
    public static int Skewed(Random random, int n, double power) => Math.Min(n - 1, (int)(n * Math.Pow(random.NextDouble(), power)));

    public static string Tag(int i) => $"tag-{i:D3}";

    public static string Channel(int i) => $"channel-{i:D2}";

    private static IEnumerable<object> Contact(string corp, DateTimeOffset now, int i)
    {
        var random = new Random(i);
        var ext = $"wm{i:D9}";
        var user = Member(random);
        var state = Channel(Skewed(random, 20, 2));
        var addedAt = now.AddSeconds(-(int)(365 * 86_400 * Math.Pow(random.NextDouble(), 1.5)));
        yield return new ExternalContactAdded(Id(), corp, "crm", "wwbench", addedAt, addedAt, user, ext, state, null);
        var tags = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Tag(Skewed(random, 200, 3))).Distinct().ToArray();
        var unionId = random.Next(10) < 6 ? $"un{i:D9}" : null;
        yield return new ResyncContactRead(Id(), "bench", corp, "wwbench", addedAt.AddMinutes(1), ext, null, 1, unionId, user, null,
            null, addedAt.ToUnixTimeSeconds(), 1, state, tags);
        foreach (var extra in new[] { 5, 20 })
        {
            if (random.Next(extra) != 0) continue;
            var second = Min(addedAt.AddDays(random.Next(30)), now);
            yield return new ExternalContactAdded(Id(), corp, "crm", "wwbench", second, second, Member(random), ext,
                Channel(Skewed(random, 20, 2)), null);
        }
        if (random.Next(10) == 0)
        {
            var deletedAt = Min(addedAt.AddDays(1 + random.Next(60)), now);
            yield return random.Next(2) == 0
                ? new ExternalContactDeleted(Id(), corp, "crm", "wwbench", deletedAt, deletedAt, user, ext, null, false)
                : new FollowUserDeleted(Id(), corp, "crm", "wwbench", deletedAt, deletedAt, user, ext);
        }
        if (unionId is not null && random.Next(10) < 4)
            yield return new ResyncFollowerRead(Id(), "bench", Account, "wxbench", addedAt.AddMinutes(2), $"o{i:D9}", true, unionId,
                addedAt.ToUnixTimeSeconds(), "ADD_SCENE_QR_CODE", null, []);
        if (i % 50 == 49)
            yield return new GroupChatUpdated(Id(), corp, "crm", "wwbench", addedAt, addedAt, $"wrchat{i / 50:D7}", "add_member", 3, null,
                10, [.. Enumerable.Range(i - 9, 10).Select(j => $"wm{j:D9}")], null, null);
    }

    private static string Member(Random random) => $"member{Skewed(random, 200, 1.5):D3}";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Id() => Guid.NewGuid().ToString("N");
}

using System.Net;
using System.Text;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Followers;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// followerSubscribed on the embedded mode's in-memory bus: a subscribed follower enrols the contact that shares its
/// unionid, whichever of the subscribe event, the follower's read and the contact's read makes the link, once per
/// subscription. Each pool queue takes one message at a time here, so that a later message on every queue involved
/// (a marker) is applied after the earlier ones.
/// </summary>
public sealed class JourneyFollowerTriggerTests : IAsyncDisposable
{
    private readonly ApiApp _app = new(settings: new Dictionary<string, string?>
    {
        ["Journeys:RunnerEnabled"] = "false",
        ["Pool:ConcurrentMessageLimit"] = "1",
    });
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IJourneyStore Store => _app.Factory.Services.GetRequiredService<IJourneyStore>();
    private IPoolStore Pool => _app.Factory.Services.GetRequiredService<IPoolStore>();

    private static string Id() => Guid.NewGuid().ToString("N");

    private async Task JourneyAsync(string id, string account = PoolEvents.Account)
    {
        var response = await _app.Client().PostAsync("/api/v1/journeys/acme", new StringContent($$"""
            { "id": "{{id}}", "name": "{{id}}", "trigger": { "kind": "followerSubscribed", "account": "{{account}}" },
              "steps": [ { "id": "later", "delay": "P1D", "action": { "kind": "customerTask", "text": "Hi" } } ] }
            """, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private Task PublishAsync(object message) => _app.Factory.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>A contact of a member whose read showed its unionid.</summary>
    private async Task ContactAsync(string ext, string unionId)
    {
        await PublishAsync(PoolEvents.Added(ext, "zhangsan", 0));
        await PublishAsync(PoolEvents.Snapshot(ext, 1, unionId, null, PoolEvents.Follow("zhangsan", 0)));
    }

    private static FollowerSubscribed Subscribe(string openId, string account = PoolEvents.Account, DateTimeOffset? at = null) =>
        new(Id(), account, "wxapp", "gh_1", at ?? DateTimeOffset.UtcNow, at ?? DateTimeOffset.UtcNow, openId, "spring-qr", null);

    /// <summary>The follower's read after <paramref name="subscribed"/> (user/info: its unionid, whether it still follows).</summary>
    private static FollowerSnapshotPublished Read(FollowerSubscribed subscribed, string? unionId, bool following = true) =>
        new(Id(), subscribed.Account, "wxapp", "gh_1", subscribed.OccurredAt, subscribed.OccurredAt, subscribed.OccurredAt.AddSeconds(1),
            nameof(FollowerSubscribed), subscribed.EventId, subscribed.OpenId, following, unionId, subscribed.OccurredAt, "ADD_SCENE_QR_CODE",
            null, "spring-qr", [], null, "zh_CN");

    private async Task<IReadOnlyList<EnrolmentHistory>> HistoryAsync(string ext) => await Store.HistoryAsync("acme", ext, 50);

    /// <summary>
    /// A follower subscribed, a follower read and a contact read of their own: once the pool has all three, every earlier
    /// message of those queues was handled, its enrolments included (one message at a time per queue).
    /// </summary>
    private async Task SettledAsync()
    {
        var (ext, openId) = ("wmMark" + Id()[..8], "oMark" + Id()[..8]);
        await PublishAsync(Subscribe(openId));
        await PublishAsync(Read(Subscribe(openId + "r"), null));
        await PublishAsync(PoolEvents.Snapshot(ext, 1, null, null, PoolEvents.Follow("zhangsan", 0)));
        await Eventually.True(async () => await Pool.GetFollowerAsync("brand", openId) is not null
            && await Pool.GetFollowerAsync("brand", openId + "r") is not null && await Pool.GetContactAsync("acme", ext) is not null,
            what: "the markers applied");
    }

    [Fact]
    public async Task A_new_follower_enrols_its_linked_contact_once_when_its_read_brings_the_unionid()
    {
        await JourneyAsync("followers");
        var (ext, openId, union) = ("wm" + _run, "o" + _run, "u" + _run);
        await ContactAsync(ext, union);
        await Eventually.True(async () => (await Pool.GetContactAsync("acme", ext))?.UnionId == union, what: "the contact's unionid");
        var subscribed = Subscribe(openId);
        var read = Read(subscribed, union);

        await PublishAsync(subscribed);
        await PublishAsync(read);
        var enrolment = (await Eventually.Get(() => HistoryAsync(ext), h => h.Count == 1, what: "enrolled")).Single().Enrolment;

        Assert.Equal(("followers", $"follower:brand:{openId}", "zhangsan"), (enrolment.JourneyId, enrolment.Source, enrolment.FollowUser));
        await PublishAsync(subscribed); // redelivered
        await PublishAsync(read);
        await PublishAsync(Read(subscribed, union) with { ReadAt = subscribed.OccurredAt.AddMinutes(5) }); // a later resync of the follower
        await SettledAsync();
        Assert.Single(await HistoryAsync(ext));
    }

    [Fact]
    public async Task A_repeat_of_a_subscription_enrols_nobody_again_and_a_new_one_after_an_unfollow_enrols_at_its_subscribe_event()
    {
        await JourneyAsync("followers");
        var (ext, openId, union) = ("wm" + _run, "o" + _run, "u" + _run);
        await ContactAsync(ext, union);
        var first = Subscribe(openId, at: DateTimeOffset.UtcNow.AddHours(-2));
        await PublishAsync(Read(first, union));
        var enrolled = await Eventually.Get(() => HistoryAsync(ext), h => h.Count == 1, what: "enrolled by the read");
        await Store.ExitAsync(enrolled[0].Enrolment.Id, "exitCall", DateTimeOffset.UtcNow);

        await PublishAsync(first); // the subscription the read showed: the same source, and its enrolment ended
        await SettledAsync();
        Assert.Single(await HistoryAsync(ext));

        await PublishAsync(new FollowerUnsubscribed(Id(), "brand", "wxapp", "gh_1", DateTimeOffset.UtcNow.AddHours(-1),
            DateTimeOffset.UtcNow.AddHours(-1), openId));
        await Eventually.True(async () => (await Pool.GetFollowerAsync("brand", openId))?.Subscribed == false, what: "unfollowed");
        await PublishAsync(Subscribe(openId)); // known unionid: linked at once
        var again = await Eventually.Get(() => HistoryAsync(ext), h => h.Count == 2, what: "enrolled again");
        Assert.StartsWith($"follower:brand:{openId}:", again[0].Enrolment.Source);
    }

    [Fact]
    public async Task An_unlinked_follower_enrols_its_contact_when_the_contacts_read_brings_the_unionid_within_the_window()
    {
        await JourneyAsync("followers");
        var (ext, openId, union) = ("wm" + _run, "o" + _run, "u" + _run);
        var subscribed = Subscribe(openId);
        await PublishAsync(subscribed);
        await PublishAsync(Read(subscribed, union));
        await Eventually.True(async () => (await Pool.GetFollowerAsync("brand", openId))?.UnionId == union, what: "the follower's unionid");
        var (oldExt, oldOpenId, oldUnion) = ("wmOld" + _run, "oOld" + _run, "uOld" + _run);
        var old = Subscribe(oldOpenId, at: DateTimeOffset.UtcNow.AddDays(-8)); // Journeys:FollowerLinkWindow is 7 days
        await PublishAsync(old);
        await PublishAsync(Read(old, oldUnion));
        await SettledAsync();
        Assert.Empty(await HistoryAsync(ext));

        await ContactAsync(oldExt, oldUnion);
        await ContactAsync(ext, union); // the customer added a member after following
        var enrolment = (await Eventually.Get(() => HistoryAsync(ext), h => h.Count == 1, what: "enrolled by the contact's read"))[0].Enrolment;

        Assert.Equal($"follower:brand:{openId}", enrolment.Source);
        Assert.Empty(await HistoryAsync(oldExt));
    }

    [Fact]
    public async Task A_follower_of_another_account_or_one_that_unfollowed_before_its_read_enrols_nobody()
    {
        await JourneyAsync("followers");
        await JourneyAsync("inactive");
        await _app.Client().DeleteAsync("/api/v1/journeys/acme/inactive");
        var (ext, union) = ("wm" + _run, "u" + _run);
        await ContactAsync(ext, union);
        var news = Subscribe("oNews" + _run, account: "news");
        await PublishAsync(news);
        await PublishAsync(Read(news, union));
        var gone = Subscribe("oGone" + _run);
        await PublishAsync(gone);
        await PublishAsync(Read(gone, union, following: false));
        await SettledAsync();

        Assert.Empty(await HistoryAsync(ext));
    }

    [Fact]
    public async Task Malformed_or_hostile_subscribe_events_enrol_nobody_and_later_ones_still_do()
    {
        await JourneyAsync("followers");
        var (ext, union) = ("wm" + _run, "u" + _run);
        await ContactAsync(ext, union);
        await PublishAsync(Subscribe(""));
        await PublishAsync(Subscribe("o" + _run, account: null!));
        await PublishAsync(Subscribe(new string('o', 10_000)));
        await PublishAsync(Subscribe("o" + _run) with { EventId = null! });
        var hostile = Subscribe("oHostile" + _run);
        await PublishAsync(Read(hostile, union) with { Account = "brand'; DROP TABLE x;--" });
        await SettledAsync();

        Assert.Empty(await HistoryAsync(ext));
        var later = Subscribe("oLater" + _run);
        await PublishAsync(later);
        await PublishAsync(Read(later, union));
        await Eventually.True(async () => (await HistoryAsync(ext)).Count == 1, what: "a well-formed subscription enrols");
    }
}

using Microsoft.Extensions.Options;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool;

namespace WecomBridge.Journeys.Triggers;

/// <summary>
/// followerSubscribed: enrols the contact linked to a subscribed follower of the trigger's account (the contact and the
/// follower share a unionid). The subscribe event itself carries no unionid: the link appears when the pool has both
/// sides, which is at the subscribe event for a follower read before, at the follower's read (seconds later) for a new
/// one, or when the contact's read brings its unionid (the customer added a member later). Whichever comes first
/// enrols, while the subscription is younger than Journeys:FollowerLinkWindow. The source is the subscription, not
/// the event, so the subscribe event, the reads and their redeliveries enrol a contact once per subscription; a
/// follower that unfollowed and follows again is a new subscription.
/// </summary>
internal sealed partial class JourneyFollowerTriggers(
    IJourneyDefinitionStore definitions, JourneyEnroller enroller, IPoolStore pool, IOptionsMonitor<JourneyRuntimeOptions> options,
    TimeProvider time, ILogger<JourneyFollowerTriggers> logger)
{
    /// <summary>Contacts one unionid links (one per corp in practice; bounds a hostile or corrupt pool).</summary>
    private const int MaxContacts = 50;

    /// <summary>After the pool applied a follower's subscription or read: enrols the contacts its unionid links.</summary>
    public async Task FollowerAsync(string? account, string? openId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(account) || string.IsNullOrEmpty(openId)) return;
        var follower = await pool.GetFollowerAsync(account, openId, ct);
        if (follower is null || !follower.Subscribed) return;
        if (follower.UnionId is not { } union)
        {
            Log.NotLinked(logger, account, openId, "the follower's unionid is not known yet");
            return;
        }
        if (!Recent(follower)) return;
        var contacts = await pool.ContactsOfUnionAsync(union, MaxContacts, ct);
        if (contacts.Count == 0) Log.NotLinked(logger, account, openId, "no contact shares its unionid yet");
        foreach (var (corp, externalUserId) in contacts)
        {
            var journeys = await JourneysAsync(corp, follower.Account, ct);
            if (journeys.Count > 0 && await pool.GetContactAsync(corp, externalUserId, ct) is { } contact)
                await EnrolAsync(contact, follower, journeys, ct);
        }
    }

    /// <summary>After the pool applied a contact's read (which may bring its unionid): enrols it for its recently subscribed followers.</summary>
    public async Task ContactAsync(string corp, string externalUserId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(corp) || string.IsNullOrEmpty(externalUserId)) return;
        var active = await definitions.ActiveByTriggerAsync(corp, JourneyTriggerKinds.FollowerSubscribed, ct);
        if (active.Count == 0 || await pool.GetContactAsync(corp, externalUserId, ct) is not { } contact) return;
        foreach (var follower in contact.Followers.Where(f => f.Subscribed && Recent(f)))
            await EnrolAsync(contact, follower, [.. active.Where(j => Names(j, follower.Account))], ct);
    }

    /// <summary>The subscription: the follower and, after an unfollow, when that was (a later subscription is another one).</summary>
    public static string SourceOf(PoolFollower follower) => follower.UnsubscribedAt is { } after
        ? $"follower:{follower.Account}:{follower.OpenId}:{after.ToUnixTimeMilliseconds()}"
        : $"follower:{follower.Account}:{follower.OpenId}";

    private async Task EnrolAsync(PoolContact contact, PoolFollower follower, IReadOnlyList<JourneyDefinition> journeys, CancellationToken ct)
    {
        if (journeys.Count == 0) return;
        // Through the member who added the contact first; a contact no member has any more has nobody to act for it.
        var member = contact.Relations.Where(r => r.DeletedAt is null).OrderBy(r => r.AddedAt).FirstOrDefault()?.UserId;
        if (member is null)
        {
            Log.NotLinked(logger, follower.Account, follower.OpenId, "no member has the linked contact");
            return;
        }
        foreach (var journey in journeys)
            await enroller.EnrolAsync(journey, contact.ExternalUserId, member, SourceOf(follower), ct);
    }

    private async Task<IReadOnlyList<JourneyDefinition>> JourneysAsync(string corp, string account, CancellationToken ct) =>
        [.. (await definitions.ActiveByTriggerAsync(corp, JourneyTriggerKinds.FollowerSubscribed, ct)).Where(j => Names(j, account))];

    private static bool Names(JourneyDefinition journey, string account) =>
        string.Equals(journey.Trigger.Account, account, StringComparison.OrdinalIgnoreCase);

    private bool Recent(PoolFollower follower) =>
        (follower.SubscribedAt ?? follower.ChangedAt) >= time.GetUtcNow() - options.CurrentValue.FollowerLinkWindow;

    private static partial class Log
    {
        [LoggerMessage(1927, LogLevel.Debug, "Follower {OpenId} of account {Account} enrols nobody yet: {Reason}")]
        public static partial void NotLinked(ILogger logger, string account, string openId, string reason);
    }
}

using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Journeys.Triggers;

/// <summary>
/// What the pool's changes mean for journeys, run by the pool's consumer right after it applied the event (so a step
/// never finds the pool behind its trigger): an add enrols in contactAdded journeys (of its channel `state`), corp tags
/// new on a contact enrol in tagAdded journeys and end enrolments whose exit is that tag, a contact with no member left
/// ends enrolments with the contactDeleted exit, a subscribed follower linked to a contact enrols it in followerSubscribed
/// journeys (<see cref="JourneyFollowerTriggers"/>), and interactions wake `wait` steps. The event id is the enrolment's
/// source, so a redelivered event enrols nobody twice. Also run on duplicates: an event whose change was applied but
/// whose enrolments failed part-way enrols into the rest on its redelivery (for tags, through <see cref="IJourneyTagLedger"/>).
/// </summary>
internal sealed partial class JourneyTriggers(
    IJourneyDefinitionStore definitions, IJourneyStore store, JourneyEnroller enroller, IPoolStore pool, JourneyFollowerTriggers followers,
    IJourneyTagLedger ledger, TimeProvider time, ILogger<JourneyTriggers> logger)
{
    /// <summary>
    /// Before a contact read is applied: the corp tags it adds to the contact (none: null), remembered in the ledger
    /// before the pool changes. A redelivery, which the pool already shows, gets what its first delivery remembered.
    /// </summary>
    public async Task<IReadOnlySet<string>?> BeforeAsync(string eventId, PoolChange change, CancellationToken ct)
    {
        if (change is not ContactRead r) return null;
        var before = ActiveTags(await pool.GetContactAsync(r.Corp, r.ExternalUserId, ct));
        var added = r.Relations.SelectMany(x => x.TagIds).Where(t => !before.Contains(t)).ToHashSet(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(eventId)) return added.Count == 0 ? null : added; // nothing to find it by on a redelivery
        var kept = await ledger.RememberAsync(eventId, added, time.GetUtcNow(), ct);
        return kept.Count == 0 ? null : kept;
    }

    /// <summary>After the pool applied the change (also for a duplicate); <paramref name="tagsAdded"/> from <see cref="BeforeAsync"/>.</summary>
    public async Task AfterAsync(string eventId, PoolChange change, IReadOnlySet<string>? tagsAdded, CancellationToken ct)
    {
        switch (change)
        {
            case RelationAdded a:
                await EnrolAsync(a.Corp, JourneyTriggerKinds.ContactAdded, t => t.State is null || t.State == a.State, a.ExternalUserId,
                    a.UserId, eventId, ct);
                await WakeAsync(a.Corp, a.ExternalUserId, InteractionKinds.Added, ct);
                break;
            case RelationDeleted d:
                var contact = await pool.GetContactAsync(d.Corp, d.ExternalUserId, ct);
                if (contact is null || contact.Relations.All(r => r.DeletedAt is not null))
                    await ExitAsync(d.Corp, d.ExternalUserId, x => x.Kind == JourneyExitKinds.ContactDeleted, JourneyExitKinds.ContactDeleted, ct);
                break;
            case ContactRead r:
                if (tagsAdded is not null)
                {
                    await TagsAsync(eventId, r, tagsAdded, ct);
                    await ledger.ForgetAsync(eventId, ct);
                }
                // A read without a unionid makes no link (a unionid never changes: a known one linked when it came).
                if (r.UnionId is not null) await followers.ContactAsync(r.Corp, r.ExternalUserId, ct);
                break;
            case FollowerSubscription { Subscribed: true } s:
                await followers.FollowerAsync(s.Account, s.OpenId, ct);
                break;
            case FollowerRead { Subscribed: true } f:
                await followers.FollowerAsync(f.Account, f.OpenId, ct);
                break;
            case ContactInteraction i:
                await WakeAsync(i.Corp, i.ExternalUserId, i.Kind, ct);
                break;
            case ChatMembersChanged { Joined: true } c:
                foreach (var member in c.MemberIds.Take(JourneyTriggerLimits.MembersPerChange))
                    await WakeAsync(c.Corp, member, InteractionKinds.GroupJoin, ct);
                break;
        }
    }

    /// <summary>Enrols the contact in the latest version of every active journey of the corp whose trigger matches.</summary>
    public async Task EnrolAsync(string corp, string triggerKind, Func<JourneyTrigger, bool> matches, string externalUserId,
        string? followUser, string source, CancellationToken ct)
    {
        foreach (var journey in await definitions.ActiveByTriggerAsync(corp, triggerKind, ct))
            if (matches(journey.Trigger)) await enroller.EnrolAsync(journey, externalUserId, followUser, source, ct);
    }

    /// <summary>Wakes the contact's `wait` steps waiting for this kind of interaction, or for any.</summary>
    public async Task WakeAsync(string corp, string externalUserId, string kind, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var woken = await store.WakeAsync(corp, externalUserId, kind, now, ct) + await store.WakeAsync(corp, externalUserId, "any", now, ct);
        if (woken > 0) Log.Woken(logger, corp, woken, kind);
    }

    private async Task TagsAsync(string eventId, ContactRead read, IReadOnlySet<string> added, CancellationToken ct)
    {
        await ExitAsync(read.Corp, read.ExternalUserId, x => x.Kind == JourneyExitKinds.TagAdded && added.Contains(x.TagId!),
            JourneyExitKinds.TagAdded, ct);
        foreach (var tag in added)
        {
            var member = read.Relations.FirstOrDefault(r => r.TagIds.Contains(tag))?.UserId;
            await EnrolAsync(read.Corp, JourneyTriggerKinds.TagAdded, t => t.TagId == tag, read.ExternalUserId, member, eventId, ct);
        }
    }

    /// <summary>Ends the contact's running enrolments whose journey version declares an exit that <paramref name="applies"/>.</summary>
    public async Task<int> ExitAsync(string corp, string externalUserId, Func<JourneyExit, bool> applies, string reason, CancellationToken ct)
    {
        var exited = 0;
        foreach (var e in await store.RunningAsync(corp, externalUserId, ct))
        {
            var journey = await definitions.GetAsync(e.Corp, e.JourneyId, e.Version, ct);
            if (journey is null || !journey.Exits.Any(applies)) continue;
            if (!await store.ExitAsync(e.Id, reason, time.GetUtcNow(), ct)) continue;
            Log.Exited(logger, e.Id, reason);
            exited++;
        }
        return exited;
    }

    private static HashSet<string> ActiveTags(PoolContact? contact) =>
        contact is null ? [] : contact.Relations.Where(r => r.DeletedAt is null).SelectMany(r => r.TagIds).ToHashSet(StringComparer.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(1922, LogLevel.Debug, "Journeys of corp {Corp}: {Count} wait steps woken by an interaction of kind {Kind}")]
        public static partial void Woken(ILogger logger, string corp, int count, string kind);

        [LoggerMessage(1923, LogLevel.Information, "Journey enrolment {EnrolmentId} exited ({Reason})")]
        public static partial void Exited(ILogger logger, Guid enrolmentId, string reason);
    }
}

internal static class JourneyTriggerLimits
{
    /// <summary>Members of one group chat change whose waits are woken (a change lists a few; bounds a hostile one).</summary>
    public const int MembersPerChange = 500;
}

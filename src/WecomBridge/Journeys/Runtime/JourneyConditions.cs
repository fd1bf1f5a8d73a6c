using WecomBridge.Pool;
using WecomBridge.Pool.Segments;

namespace WecomBridge.Journeys.Runtime;

/// <summary>A step's conditions on the pool's contact: segment filters (the same predicate as segments) and interaction since enrolment.</summary>
internal static class JourneyConditions
{
    /// <summary>Null when every condition holds; else the reason naming the first that does not (1-based).</summary>
    public static string? FirstUnmet(JourneyStep step, PoolContact contact, DateTimeOffset enrolledAt, DateTimeOffset now)
    {
        var subject = Subject(contact);
        for (var i = 0; i < step.Conditions.Count; i++)
        {
            var c = step.Conditions[i];
            var holds = (c.Filter is null || SegmentPredicate.Compile(c.Filter, now)(subject))
                && (c.InteractedSinceEnrolment is not { } interacted || interacted == contact.LastInteractionAt > enrolledAt);
            if (!holds) return $"condition {i + 1} not met";
        }
        return null;
    }

    public static SegmentSubject Subject(PoolContact c) => new(c.Stage, c.LastInteractionAt, c.BurstFlaggedAt,
        c.Relations.Where(r => r.DeletedAt is null).Select(r => new PoolRelationSummary(r.UserId, r.AddedAt, r.State, r.TagIds)).ToList(),
        c.Groups.Where(g => g.LeftAt is null).Select(g => g.ChatId).ToHashSet(StringComparer.Ordinal),
        c.Followers.Where(f => f.Subscribed).Select(f => f.Account).ToHashSet(StringComparer.Ordinal));
}

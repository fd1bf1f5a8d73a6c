using Microsoft.Extensions.Options;

namespace WecomBridge.Pool.Activity;

/// <summary>
/// The rules both stores apply in the same way: a contact's stage from its facts, and the burst guard's limit per
/// channel. One implementation (C#) for memory and PostgreSQL, so that the two never disagree.
/// </summary>
internal sealed class ActivityRules(IOptions<StageOptions> stages, IOptions<BurstGuardOptions> burst, TimeProvider time)
{
    public const string New = "new", Active = "active", Dormant = "dormant", Lost = "lost";

    /// <summary>The defaults on the system clock (the stores' tests and the embedded mode without configuration).</summary>
    public static ActivityRules Default { get; } =
        new(Options.Create(new StageOptions()), Options.Create(new BurstGuardOptions()), TimeProvider.System);

    public TimeProvider Time => time;

    /// <summary>Wakes this process's outbox publisher when a store wrote an event.</summary>
    public OutboxSignal Outbox { get; } = new();

    public StageOptions Stages => stages.Value;

    /// <summary>The burst guard's limit for adds through <paramref name="state"/> per minute; 0 when off.</summary>
    public int BurstLimit(string state) => burst.Value.LimitOf(state);

    /// <summary>
    /// Lost when the contact had relations and every one is deleted, or after LostAfter without an interaction; dormant
    /// after DormantAfter without one; new within NewFor of its first add; active otherwise. An interaction is anything
    /// in last_interaction_at (adds included); a contact with none counts from when the pool first saw it.
    /// </summary>
    public string Evaluate(ContactFacts c, DateTimeOffset now)
    {
        var o = stages.Value;
        if (c.Relations > 0 && c.ActiveRelations == 0) return Lost;
        var idle = now - (c.LastInteractionAt ?? c.FirstSeenAt);
        if (o.LostAfter is { } lost && idle >= lost) return Lost;
        if (idle >= o.DormantAfter) return Dormant;
        return now - (c.FirstAddedAt ?? c.FirstSeenAt) < o.NewFor ? New : Active;
    }
}

/// <summary>What the stage rules read of a contact.</summary>
internal sealed record ContactFacts(string Corp, string ExternalUserId, DateTimeOffset FirstSeenAt, DateTimeOffset? LastInteractionAt,
    string Stage, int Relations, int ActiveRelations, DateTimeOffset? FirstAddedAt);

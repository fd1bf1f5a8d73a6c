using Microsoft.Extensions.Options;

namespace WecomBridge.Pool;

/// <summary>
/// "Pool:Retention": how long the pool keeps people who left and its own bookkeeping (docs/pool.md, "Purge, erasure and
/// pruning"). A scheduled pass, one instance at a time, deletes what is older.
/// </summary>
public sealed class PoolRetentionOptions
{
    public const string Section = "Pool:Retention";

    /// <summary>A contact with no relation left (each deleted by the member, the customer or a transfer) and in no group chat.</summary>
    public TimeSpan DeletedContacts { get; set; } = TimeSpan.FromDays(30);
    /// <summary>An Official Account follower who unsubscribed (and nothing newer came).</summary>
    public TimeSpan UnsubscribedFollowers { get; set; } = TimeSpan.FromDays(30);
    /// <summary>
    /// Event ids applied (the pool's deduplication) and erasure tombstones. Longer than the longest redelivery: a message
    /// parked in an _error queue that an operator moves back after a week, or events spooled by a gateway through a long
    /// broker outage, must still be recognised; an event older than this is not expected any more.
    /// </summary>
    public TimeSpan AppliedEvents { get; set; } = TimeSpan.FromDays(14);
    /// <summary>Time between two passes (each instance tries; the one holding the lock runs it).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Rows deleted per transaction.</summary>
    public int BatchSize { get; set; } = 1000;
}

/// <summary>The times before which rows go: now minus each retention.</summary>
internal sealed record PoolCutoffs(DateTimeOffset DeletedContacts, DateTimeOffset UnsubscribedFollowers, DateTimeOffset AppliedEvents)
{
    public static PoolCutoffs At(DateTimeOffset now, PoolRetentionOptions o) =>
        new(now - o.DeletedContacts, now - o.UnsubscribedFollowers, now - o.AppliedEvents);
}

/// <summary>What a pass deleted: contacts purged (with their relations and memberships), followers, event ids, tombstones.</summary>
internal sealed record PoolPruned(int Contacts, int Followers, int AppliedEvents, int Erasures);

internal sealed class PoolRetentionOptionsValidator : IValidateOptions<PoolRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, PoolRetentionOptions o)
    {
        var errors = new List<string>();
        if (o.DeletedContacts < TimeSpan.FromDays(1)) errors.Add("Pool:Retention:DeletedContacts must be at least 1 day");
        if (o.UnsubscribedFollowers < TimeSpan.FromDays(1)) errors.Add("Pool:Retention:UnsubscribedFollowers must be at least 1 day");
        if (o.AppliedEvents < TimeSpan.FromDays(1))
            errors.Add("Pool:Retention:AppliedEvents must be at least 1 day: a shorter one lets a redelivered event apply twice");
        if (o.Interval < TimeSpan.FromMinutes(1) || o.Interval > TimeSpan.FromDays(1)) errors.Add("Pool:Retention:Interval must be 1 minute–1 day");
        if (o.BatchSize is < 1 or > 100_000) errors.Add("Pool:Retention:BatchSize must be 1–100000");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

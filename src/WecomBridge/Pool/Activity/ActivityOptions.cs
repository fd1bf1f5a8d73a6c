using Microsoft.Extensions.Options;

namespace WecomBridge.Pool.Activity;

/// <summary>"Pool:Stages": the rules that give each contact its lifecycle stage (docs/pool.md, "Activity and stage").</summary>
public sealed class StageOptions
{
    public const string Section = "Pool:Stages";

    /// <summary>A contact is new for this long after its first add (then active, unless dormant or lost).</summary>
    public TimeSpan NewFor { get; set; } = TimeSpan.FromDays(7);
    /// <summary>Dormant after this long without an interaction.</summary>
    public TimeSpan DormantAfter { get; set; } = TimeSpan.FromDays(30);
    /// <summary>Lost after this long without an interaction (null: only when every relation is deleted).</summary>
    public TimeSpan? LostAfter { get; set; } = TimeSpan.FromDays(180);
    /// <summary>How often the scheduled pass re-evaluates every contact (one instance at a time).</summary>
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Contacts the pass reads and updates per transaction.</summary>
    public int BatchSize { get; set; } = 1000;
}

/// <summary>"Pool:BurstGuard": adds per corp, channel `state` and minute above which the channel is in a burst.</summary>
public sealed class BurstGuardOptions
{
    public const string Section = "Pool:BurstGuard";

    /// <summary>Adds through one channel in one minute (of the events' time) that are still normal; 0 switches the guard off.</summary>
    public int AddsPerMinute { get; set; } = 100;
    /// <summary>Per-state limits that replace <see cref="AddsPerMinute"/> (0: no guard for that state).</summary>
    public Dictionary<string, int> States { get; set; } = [];

    /// <summary>The limit of <paramref name="state"/>; 0 when the guard is off for it.</summary>
    public int LimitOf(string state) => States.TryGetValue(state, out var limit) ? limit : AddsPerMinute;
}

internal sealed class StageOptionsValidator : IValidateOptions<StageOptions>
{
    public ValidateOptionsResult Validate(string? name, StageOptions o)
    {
        var errors = new List<string>();
        if (o.NewFor < TimeSpan.Zero) errors.Add("Pool:Stages:NewFor must not be negative");
        if (o.DormantAfter <= TimeSpan.Zero || o.DormantAfter < o.NewFor)
            errors.Add("Pool:Stages:DormantAfter must be positive and at least Pool:Stages:NewFor");
        if (o.LostAfter is { } lost && lost <= o.DormantAfter) errors.Add("Pool:Stages:LostAfter must be longer than Pool:Stages:DormantAfter");
        if (o.PassInterval < TimeSpan.FromSeconds(1)) errors.Add("Pool:Stages:PassInterval must be at least 1 second");
        if (o.BatchSize is < 1 or > 100_000) errors.Add("Pool:Stages:BatchSize must be 1–100000");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class BurstGuardOptionsValidator : IValidateOptions<BurstGuardOptions>
{
    public ValidateOptionsResult Validate(string? name, BurstGuardOptions o)
    {
        var errors = new List<string>();
        if (o.AddsPerMinute is < 0 or > 1_000_000) errors.Add("Pool:BurstGuard:AddsPerMinute must be 0–1000000");
        foreach (var (state, limit) in o.States)
            if (limit is < 0 or > 1_000_000) errors.Add($"Pool:BurstGuard:States:{state} must be 0–1000000");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

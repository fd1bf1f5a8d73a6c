using Microsoft.Extensions.Options;

namespace WecomBridge.Journeys.Runtime;

/// <summary>"Journeys": how the dispatchers run journeys' timers (docs/journeys.md, "Running journeys").</summary>
public sealed class JourneyRuntimeOptions
{
    public const string Section = "Journeys";

    /// <summary>Whether this dispatcher runs journeys' timers (enrolment and the API stay on with the pool).</summary>
    public bool RunnerEnabled { get; set; } = true;
    /// <summary>Due steps one claim takes (each runner works through a batch, then claims again).</summary>
    public int BatchSize { get; set; } = 100;
    /// <summary>Claimed steps a runner takes at once (of different contacts; one contact's steps go one after the other).</summary>
    public int StepConcurrency { get; set; } = 8;
    /// <summary>How long a claimed step is held: another dispatcher takes it after this when its runner died.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How often a runner looks for due steps when the last claim found none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Tries of a step whose action fails (the broker, WeCom) before it is recorded failed and the journey goes on.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Wait before the second try of a failed step; doubled for each further try.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Enrolments GET /api/v1/journeys/{corp}/contacts/{externalUserId} answers at most.</summary>
    public int MaxHistory { get; set; } = 100;
    /// <summary>How often the segment pass enrols the contacts now in the saved segments of active segmentEntered journeys.</summary>
    public TimeSpan SegmentPassInterval { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>
    /// How long after a follower subscribed its link to a contact (the unionid both share) still enrols the contact in
    /// followerSubscribed journeys: the link usually appears seconds later (the follower's read), or when the contact is added.
    /// </summary>
    public TimeSpan FollowerLinkWindow { get; set; } = TimeSpan.FromDays(7);
}

internal sealed class JourneyRuntimeOptionsValidator : IValidateOptions<JourneyRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, JourneyRuntimeOptions o)
    {
        var errors = new List<string>();
        if (o.BatchSize is < 1 or > 10_000) errors.Add("Journeys:BatchSize must be 1–10000");
        if (o.StepConcurrency is < 1 or > 256) errors.Add("Journeys:StepConcurrency must be 1–256");
        if (o.Lease < TimeSpan.FromSeconds(5) || o.Lease > TimeSpan.FromHours(1)) errors.Add("Journeys:Lease must be 5 s–1 h");
        if (o.PollInterval <= TimeSpan.Zero || o.PollInterval > TimeSpan.FromMinutes(10))
            errors.Add("Journeys:PollInterval must be positive, at most 10 min");
        if (o.MaxAttempts is < 1 or > 100) errors.Add("Journeys:MaxAttempts must be 1–100");
        if (o.RetryDelay <= TimeSpan.Zero) errors.Add("Journeys:RetryDelay must be positive");
        if (o.MaxHistory is < 1 or > 10_000) errors.Add("Journeys:MaxHistory must be 1–10000");
        if (o.SegmentPassInterval < TimeSpan.FromSeconds(10) || o.SegmentPassInterval > TimeSpan.FromDays(1))
            errors.Add("Journeys:SegmentPassInterval must be 10 s–1 day");
        if (o.FollowerLinkWindow < TimeSpan.FromMinutes(1) || o.FollowerLinkWindow > TimeSpan.FromDays(90))
            errors.Add("Journeys:FollowerLinkWindow must be 1 min–90 days");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

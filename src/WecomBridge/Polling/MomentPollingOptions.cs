using Microsoft.Extensions.Options;

namespace WecomBridge.Polling;

/// <summary>"Polling:Moments": customer moments have no callback, so each corp's moments are polled.</summary>
public sealed class MomentPollingOptions
{
    public const string Section = "Polling:Moments";

    public bool Enabled { get; set; } = true;

    /// <summary>Time between two polls of one corp.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the first poll of a corp looks (get_moment_list takes at most 30 days).</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Each poll starts this much before the last one ended, to catch moments listed late.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(30);
}

internal sealed class MomentPollingOptionsValidator : IValidateOptions<MomentPollingOptions>
{
    public ValidateOptionsResult Validate(string? name, MomentPollingOptions o)
    {
        var errors = new List<string>();
        if (o.Interval < TimeSpan.FromMilliseconds(100)) errors.Add("Polling:Moments:Interval must be at least 00:00:00.1");
        if (o.InitialLookback <= TimeSpan.Zero || o.InitialLookback > TimeSpan.FromDays(30))
            errors.Add("Polling:Moments:InitialLookback must be positive and at most 30 days");
        if (o.Overlap < TimeSpan.Zero || o.Overlap > TimeSpan.FromDays(1)) errors.Add("Polling:Moments:Overlap must be between 0 and 1 day");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

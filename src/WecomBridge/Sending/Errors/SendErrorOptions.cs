using Microsoft.Extensions.Options;

namespace WecomBridge.Sending.Errors;

/// <summary>"Dispatch:Errors": the recent history of failed and ambiguous sends (GET /api/v1/dispatch/errors and /ambiguous).</summary>
public sealed class SendErrorOptions
{
    public const string Section = "Dispatch:Errors";

    /// <summary>The window the errors route counts over when no `window` is asked for (the console's "last hour").</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the history keeps what it records: the longest window the route answers (at most 2 days).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The latest sends kept per corp (account), errcode and state (message ids and reasons).</summary>
    public int RecentPerErrCode { get; set; } = 5;

    /// <summary>The latest ambiguous sends kept per corp (account).</summary>
    public int MaxAmbiguous { get; set; } = 200;

    internal SendErrorLimits Limits => new(Retention, RecentPerErrCode, MaxAmbiguous);
}

internal sealed class SendErrorOptionsValidator : IValidateOptions<SendErrorOptions>
{
    public ValidateOptionsResult Validate(string? name, SendErrorOptions o)
    {
        var errors = new List<string>();
        if (o.Window < TimeSpan.FromMinutes(1)) errors.Add($"{SendErrorOptions.Section}:Window must be at least 00:01:00");
        if (o.Retention < o.Window || o.Retention > TimeSpan.FromDays(2))
            errors.Add($"{SendErrorOptions.Section}:Retention must be from Window to 2.00:00:00");
        if (o.RecentPerErrCode is < 1 or > 50) errors.Add($"{SendErrorOptions.Section}:RecentPerErrCode must be 1–50");
        if (o.MaxAmbiguous is < 1 or > 1000) errors.Add($"{SendErrorOptions.Section}:MaxAmbiguous must be 1–1000");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// "Dispatch:Pauses": how long a paused group of sends waits. A throttle (WeCom 45009) pauses the corp's API for
/// Dispatch:ThrottlePause, then longer each time it recurs within <see cref="QuietPeriod"/> of the last pause's end
/// (WeCom blocks an hour or a day limit for longer than a minute one). A configuration pause lasts until a probe,
/// tried every <see cref="ProbeInterval"/>, succeeds.
/// </summary>
public sealed class SendPauseOptions
{
    public const string Section = "Dispatch:Pauses";

    /// <summary>Each throttle pause that follows another within <see cref="QuietPeriod"/> lasts this many times longer.</summary>
    public double Growth { get; set; } = 2;

    /// <summary>The longest throttle pause (an Official Account's daily quota waits for its day's end regardless).</summary>
    public TimeSpan MaxPause { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After a pause has been over this long without another throttle, the next one starts short again.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often one waiting message is tried to see whether a configuration error was fixed.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>IANA time zone whose midnight renews an Official Account's daily API quota (45009).</summary>
    public string QuotaTimeZone { get; set; } = "Asia/Shanghai";
}

internal sealed class SendPauseOptionsValidator : IValidateOptions<SendPauseOptions>
{
    public ValidateOptionsResult Validate(string? name, SendPauseOptions o)
    {
        var errors = new List<string>();
        if (!(o.Growth >= 1 && o.Growth <= 100)) errors.Add("Dispatch:Pauses:Growth must be between 1 and 100");
        if (o.MaxPause <= TimeSpan.Zero || o.MaxPause > TimeSpan.FromDays(7)) errors.Add("Dispatch:Pauses:MaxPause must be positive, at most 7 days");
        if (o.QuietPeriod < TimeSpan.Zero) errors.Add("Dispatch:Pauses:QuietPeriod must not be negative");
        if (o.ProbeInterval <= TimeSpan.Zero) errors.Add("Dispatch:Pauses:ProbeInterval must be positive");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(o.QuotaTimeZone, out _))
            errors.Add($"Dispatch:Pauses:QuotaTimeZone '{o.QuotaTimeZone}' is not a known time zone");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

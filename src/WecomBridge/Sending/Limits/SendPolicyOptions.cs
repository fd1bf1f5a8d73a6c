using Microsoft.Extensions.Options;
using WecomBridge.RateLimits;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// "Dispatch:Corps:{corp}" (falling back to "Dispatch:Defaults"): the corp's time zone, quiet hours and the
/// customer cap that WeCom applies to mass messages (docs/wecom-protocol.md §6), applied here before WeCom does.
/// </summary>
public sealed class SendPolicyOptions
{
    /// <summary>IANA time zone of the corp's customers; quiet hours and cap periods are counted in it.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public QuietHoursOptions QuietHours { get; set; } = new();

    public CustomerCapOptions CustomerCap { get; set; } = new();

    /// <summary>Calls per minute per corp (or account) and API, shared by all instances: half of WeCom's 10,000.</summary>
    public int ApiCallsPerMinute { get; set; } = 5_000;

    /// <summary>The window ApiCallsPerMinute is counted in: a minute, unless set shorter (tests, benchmarks).</summary>
    public TimeSpan ApiCallsWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Customer and group tasks one member (the sender) is asked to confirm per day (docs/wecom-protocol.md §7: cap tasks
    /// per employee).
    /// </summary>
    public int SenderTasksPerDay { get; set; } = 20;

    /// <summary>App messages one member receives per minute: half of the 30 WeCom allows before it drops them silently.</summary>
    public int MemberMessagesPerMinute { get; set; } = 15;

    public RateLimit ApiCalls => new(ApiCallsPerMinute, ApiCallsWindow);
}

/// <summary>Customer-facing sends that fall in [Start, End) wait for End (never dropped). Start after End spans midnight.</summary>
public sealed class QuietHoursOptions
{
    public bool Enabled { get; set; } = true;
    public TimeOnly Start { get; set; } = new(21, 0);
    public TimeOnly End { get; set; } = new(8, 0);
}

public enum CapPeriod
{
    /// <summary>As many as the month has days (WeCom's default since 2025).</summary>
    Month,
    Week,
    Day,
}

/// <summary>Mass messages one customer (or customer group) may receive per period, corp and members together.</summary>
public sealed class CustomerCapOptions
{
    public CapPeriod Period { get; set; } = CapPeriod.Month;

    /// <summary>Null: the WeCom default for the period (days of the month, 7 a week, 1 a day).</summary>
    public int? Limit { get; set; }
}

internal sealed class SendPolicyOptionsValidator : IValidateOptions<SendPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, SendPolicyOptions o)
    {
        var path = string.IsNullOrEmpty(name) ? "Dispatch:Defaults" : $"Dispatch:Corps:{name}";
        var errors = new List<string>();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _)) errors.Add($"{path}:TimeZone '{o.TimeZone}' is not a known time zone");
        if (o.QuietHours.Enabled && o.QuietHours.Start == o.QuietHours.End) errors.Add($"{path}:QuietHours:Start and End must differ");
        if (o.CustomerCap.Limit is < 1) errors.Add($"{path}:CustomerCap:Limit must be at least 1");
        if (o.ApiCallsPerMinute < 1) errors.Add($"{path}:ApiCallsPerMinute must be at least 1");
        if (o.ApiCallsWindow <= TimeSpan.Zero) errors.Add($"{path}:ApiCallsWindow must be positive");
        if (o.SenderTasksPerDay < 1) errors.Add($"{path}:SenderTasksPerDay must be at least 1");
        if (o.MemberMessagesPerMinute < 1) errors.Add($"{path}:MemberMessagesPerMinute must be at least 1");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using System.Globalization;
using Microsoft.Extensions.Options;
using WecomBridge.RateLimits;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// "Dispatch:Defaults", overridden per corp by "Dispatch:Corps:{corp}" and per Official Account by
/// "Dispatch:Accounts:{account}": the call limits of each API per corp (account), shared by every instance
/// (docs/wecom-protocol.md §6). An API without its own entry in <see cref="Apis"/> takes
/// <see cref="ApiCallsPerMinute"/> per <see cref="ApiCallsWindow"/>.
/// </summary>
public sealed class ApiLimitOptions
{
    /// <summary>Calls per window per corp (or account) and API: half of WeCom's 10,000 a minute.</summary>
    public int ApiCallsPerMinute { get; set; } = 5_000;

    /// <summary>The window ApiCallsPerMinute is counted in: a minute, unless set shorter (tests, benchmarks).</summary>
    public TimeSpan ApiCallsWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Calls are spaced Window / Calls × (1 + SafetyMargin): the platform counts arrivals, which come a little after
    /// the permit and unevenly; arrival delays that differ by up to SafetyMargin × Window still never put more than
    /// Calls in any window. 0.03 uses 97 % of the limit and covers 1.8 s of spread in a minute (150 ms in 5 s).
    /// </summary>
    public double SafetyMargin { get; set; } = 0.03;

    /// <summary>
    /// How much the delays from a call's departure check (right before its request leaves) to its arrival at the
    /// platform may differ: no Window + Jitter holds more than Calls departures. Unset: SafetyMargin × Window
    /// (150 ms in 5 s), which costs no more of the limit than the margin does.
    /// </summary>
    public TimeSpan? Jitter { get; set; }

    /// <summary>Per API (keys: <see cref="ApiNames.Known"/>): its own Calls, Window and Concurrency.</summary>
    public Dictionary<string, ApiLimitEntry> Apis { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    internal RateLimit LimitOf(string apiName) => Apis.TryGetValue(apiName, out var e)
        ? new(e.Calls ?? ApiCallsPerMinute, e.Window ?? ApiCallsWindow)
        : new(ApiCallsPerMinute, ApiCallsWindow);

    internal TimeSpan? JitterOf(string apiName) => Apis.TryGetValue(apiName, out var e) && e.Jitter is { } j ? j : Jitter;

    internal int? ConcurrencyOf(string apiName) => Apis.TryGetValue(apiName, out var e) ? e.Concurrency : null;
}

/// <summary>One API's limits; what is left out comes from ApiCallsPerMinute / ApiCallsWindow (Concurrency: unbounded).</summary>
public sealed class ApiLimitEntry
{
    /// <summary>Calls per Window per corp (account).</summary>
    public int? Calls { get; set; }

    public TimeSpan? Window { get; set; }

    /// <summary>This API's Jitter (see <see cref="ApiLimitOptions.Jitter"/>).</summary>
    public TimeSpan? Jitter { get; set; }

    /// <summary>Calls in progress at once per corp (account) across every instance (WeCom answers 45033 above its own).</summary>
    public int? Concurrency { get; set; }
}

internal sealed class ApiLimitOptionsValidator : IValidateOptions<ApiLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiLimitOptions o)
    {
        var path = ApiLimits.SectionOf(name);
        var errors = new List<string>();
        if (o.ApiCallsPerMinute < 1) errors.Add($"{path}:ApiCallsPerMinute must be at least 1");
        if (o.ApiCallsWindow <= TimeSpan.Zero) errors.Add($"{path}:ApiCallsWindow must be positive");
        if (!(o.SafetyMargin is >= 0 and <= 0.5))
            errors.Add($"{path}:SafetyMargin must be between 0 and 0.5 (it was {o.SafetyMargin.ToString(CultureInfo.InvariantCulture)})");
        if (o.Jitter is { } jitter && (jitter < TimeSpan.Zero || jitter >= o.ApiCallsWindow))
            errors.Add($"{path}:Jitter must be at least 0 and shorter than ApiCallsWindow");
        foreach (var (api, entry) in o.Apis)
        {
            if (entry.Jitter is { } j && (j < TimeSpan.Zero || j >= (entry.Window ?? o.ApiCallsWindow)))
                errors.Add($"{path}:Apis:{api}:Jitter must be at least 0 and shorter than its Window");
            if (!ApiNames.Known.Contains(api))
                errors.Add($"{path}:Apis:{api} is not an API the bridge paces ({string.Join(", ", ApiNames.Known)})");
            if (entry.Calls is < 1) errors.Add($"{path}:Apis:{api}:Calls must be at least 1");
            if (entry.Window is { } w && w <= TimeSpan.Zero) errors.Add($"{path}:Apis:{api}:Window must be positive");
            if (entry.Concurrency is < 1) errors.Add($"{path}:Apis:{api}:Concurrency must be at least 1");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;

namespace WecomBridge.Observability;

/// <summary>
/// "Telemetry": the Prometheus scrape endpoint (fed by the same meters as the OTLP export) and how often the
/// sampled gauges (queue depths, send pauses) are read.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public PrometheusOptions Prometheus { get; set; } = new();

    /// <summary>How often queue depths (a passive declare per own queue) and send pauses are read for their gauges.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>"Telemetry:Prometheus".</summary>
public sealed class PrometheusOptions
{
    /// <summary>Off by default: the endpoint names corps, apps and accounts, so an operator decides where it is served.</summary>
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// False (default): the scraper needs no key, since Prometheus usually has none; keep the path off the public
    /// address (the reverse proxy, a network policy). True: `Authorization: Bearer` with any key of SendApi:ApiKeys.
    /// </summary>
    public bool RequireApiKey { get; set; }
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions o)
    {
        var errors = new List<string>();
        var path = o.Prometheus.Path;
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Length > 100
            || path.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.')))
            errors.Add($"{TelemetryOptions.Section}:Prometheus:Path must start with / and hold only letters, digits, / - _ . (at most 100)");
        else if (path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/callbacks/", StringComparison.OrdinalIgnoreCase)
                 || path.StartsWith("/health/", StringComparison.OrdinalIgnoreCase))
            errors.Add($"{TelemetryOptions.Section}:Prometheus:Path must not be under /api/, /callbacks/ or /health/");
        if (o.SampleInterval < TimeSpan.FromSeconds(1) || o.SampleInterval > TimeSpan.FromMinutes(10))
            errors.Add($"{TelemetryOptions.Section}:SampleInterval must be between 00:00:01 and 00:10:00");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

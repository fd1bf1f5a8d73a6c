using Microsoft.Extensions.Options;

namespace WecomBridge.Callbacks;

/// <summary>"Gateway": limits and timings of callback intake.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// Larger callback bodies are refused with 413. Contact events are under 4 KB, but long texts, approval and
    /// chat-archive events are larger: 1 MiB admits every genuine callback. A body is read to its length, no further.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>A callback whose timestamp is further than this from now is refused as stale (replay guard).</summary>
    public TimeSpan TimestampWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a handled callback's dedupe key is kept (WeCom retries within ~20 s).</summary>
    public TimeSpan DedupeTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a copy being handled holds its key; a process that dies mid-way frees it after this.</summary>
    public TimeSpan InFlightTtl { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a callback waits for the broker's confirm before it goes to the spool (WeCom gives 5 s in all).</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    public SpoolOptions Spool { get; set; } = new();
}

public sealed class SpoolOptions
{
    /// <summary>Folder of the durable spool (SQLite, WAL). Each instance needs its own.</summary>
    public string Path { get; set; } = "spool";

    /// <summary>
    /// The spool refuses events beyond this many bytes on disk (events waiting and quarantined); the callback then gets
    /// no answer, so WeCom retries. The default holds a 60 s outage at 3,000 callbacks/s (about 0.7 KiB each) 8 times.
    /// </summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Optional second bound, in events (an older setting, still honoured when set); unset by default.</summary>
    public int? MaxEvents { get; set; }
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions o)
    {
        var errors = new List<string>();
        if (o.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024) errors.Add("Gateway:MaxBodyBytes must be between 1024 and 16777216");
        if (o.TimestampWindow <= TimeSpan.Zero) errors.Add("Gateway:TimestampWindow must be positive");
        if (o.DedupeTtl < TimeSpan.FromMinutes(1)) errors.Add("Gateway:DedupeTtl must be at least 00:01:00 (WeCom retries for ~20 s)");
        if (o.InFlightTtl <= TimeSpan.Zero) errors.Add("Gateway:InFlightTtl must be positive");
        if (o.PublishTimeout <= TimeSpan.Zero || o.PublishTimeout >= TimeSpan.FromSeconds(4))
            errors.Add("Gateway:PublishTimeout must be positive and under 00:00:04 (the answer is due within 5 s)");
        if (string.IsNullOrWhiteSpace(o.Spool.Path)) errors.Add("Gateway:Spool:Path is required");
        if (o.Spool.MaxEvents < 1) errors.Add("Gateway:Spool:MaxEvents must be at least 1 when set");
        if (o.Spool.MaxBytes < 64 * 1024) errors.Add("Gateway:Spool:MaxBytes must be at least 65536");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;

namespace WecomBridge.Sending.Sweep;

/// <summary>
/// "Dispatch:Sweep": how the sweeper finds messages that nothing will move on and settles them. Each bound must
/// exceed the longest wait that is not a loss: a queue backlog for AcceptedFor (a command still on the broker is
/// not lost), the delay queues' lag for DeferredFor.
/// </summary>
public sealed class SweepOptions
{
    public const string Section = "Dispatch:Sweep";

    public bool Enabled { get; set; } = true;

    /// <summary>How often each instance looks (each settle is a compare-and-set, so instances never settle one twice).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An accepted message no dispatcher took within this is lost (its command never arrived).</summary>
    public TimeSpan AcceptedFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A deferred message this long past its DeferredUntil is lost (its delayed redelivery never came).</summary>
    public TimeSpan DeferredFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A sending message this long past its lease has no dispatcher: settled as the claim settles an abandoned lease.</summary>
    public TimeSpan SendingFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Messages settled per state and round at most.</summary>
    public int BatchSize { get; set; } = 500;
}

internal sealed class SweepOptionsValidator : IValidateOptions<SweepOptions>
{
    public ValidateOptionsResult Validate(string? name, SweepOptions o)
    {
        var errors = new List<string>();
        void Within(string key, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max) errors.Add($"{SweepOptions.Section}:{key} must be between {min} and {max}");
        }
        Within(nameof(o.Interval), o.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Within(nameof(o.AcceptedFor), o.AcceptedFor, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        Within(nameof(o.DeferredFor), o.DeferredFor, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        Within(nameof(o.SendingFor), o.SendingFor, TimeSpan.Zero, TimeSpan.FromDays(1));
        if (o.BatchSize is < 1 or > 10_000) errors.Add($"{SweepOptions.Section}:BatchSize must be between 1 and 10000");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;
using WecomBridge.Sending.Limits;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>
/// "Dispatch": how the dispatcher keeps send status and paces its own work (send policy per corp:
/// <see cref="SendPolicyOptions"/>).
/// </summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>How long a message's status can be read back.</summary>
    public TimeSpan StatusRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an Idempotency-Key maps to its first message.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long an instance holds a message it is sending. A copy that finds the lease expired and the state still
    /// "sending" knows the holder died mid-send: the outcome is unknown, so it marks the message ambiguous
    /// (or repeats it where WeCom dedupes: template messages with client_msg_id, app messages with duplicate check).
    /// Longer than one send's worst case (every attempt of the client's pipeline).
    /// </summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts of one send (each after a transient failure, through delayed redelivery); then it fails and is dead-lettered.</summary>
    public int RetryBudget { get; set; } = 5;

    /// <summary>First delay of a retry; grows ×4 per attempt, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A rate-limit wait up to this is taken in place; a longer one defers the send (delayed redelivery).</summary>
    public TimeSpan MaxInlineWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest first pause of a bucket after 45009: the first lasts the bucket's window (its limit's Window) up to
    /// this; recurring throttles grow it (Dispatch:Pauses).
    /// </summary>
    public TimeSpan ThrottlePause { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Sends in progress per instance (messages of all kinds but welcome).</summary>
    public int ConcurrentSends { get; set; } = 32;

    /// <summary>Welcome messages in progress per instance, on their own queues ahead of other sends.</summary>
    public int ConcurrentWelcomes { get; set; } = 32;

    /// <summary>
    /// How long a suppression remove's time is kept to ignore older adds that arrive after it (events redelivered or
    /// spooled). Older tombstones are dropped, so they never pile up; an add older than a dropped one suppresses again
    /// (the safe side).
    /// </summary>
    public TimeSpan SuppressionTombstoneRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Contacts of a customer task's audience read per page; each page becomes one task per member who sends to some
    /// of its contacts. At most 10,000 (add_msg_template's limit): a larger page means fewer tasks for each member to confirm.
    /// </summary>
    public int AudiencePageSize { get; set; } = 10_000;
}

internal sealed class DispatchOptionsValidator : IValidateOptions<DispatchOptions>
{
    public ValidateOptionsResult Validate(string? name, DispatchOptions o)
    {
        var errors = new List<string>();
        void Positive(string key, TimeSpan value) { if (value <= TimeSpan.Zero) errors.Add($"Dispatch:{key} must be positive"); }
        Positive(nameof(o.StatusRetention), o.StatusRetention);
        Positive(nameof(o.IdempotencyKeyLifetime), o.IdempotencyKeyLifetime);
        Positive(nameof(o.SendLease), o.SendLease);
        Positive(nameof(o.RetryBaseDelay), o.RetryBaseDelay);
        Positive(nameof(o.ThrottlePause), o.ThrottlePause);
        Positive(nameof(o.SuppressionTombstoneRetention), o.SuppressionTombstoneRetention);
        if (o.RetryMaxDelay < o.RetryBaseDelay) errors.Add("Dispatch:RetryMaxDelay must be at least RetryBaseDelay");
        if (o.MaxInlineWait < TimeSpan.Zero) errors.Add("Dispatch:MaxInlineWait must not be negative");
        if (o.RetryBudget < 1) errors.Add("Dispatch:RetryBudget must be at least 1");
        if (o.ConcurrentSends < 1) errors.Add("Dispatch:ConcurrentSends must be at least 1");
        if (o.ConcurrentWelcomes < 1) errors.Add("Dispatch:ConcurrentWelcomes must be at least 1");
        if (o.AudiencePageSize is < 1 or > 10_000) errors.Add("Dispatch:AudiencePageSize must be 1–10000");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

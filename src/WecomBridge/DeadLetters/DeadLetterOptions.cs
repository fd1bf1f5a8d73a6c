using Microsoft.Extensions.Options;

namespace WecomBridge.DeadLetters;

/// <summary>"DeadLetters": the collector of the app's `_error` queues and the store operators read (docs/dead-letters.md).</summary>
public sealed class DeadLetterOptions
{
    public const string Section = "DeadLetters";

    /// <summary>Whether this instance collects its queues' dead letters (with RabbitMQ, only when Redis keeps them).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>How often each `_error` queue is looked at when the last look found nothing.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Dead letters the store keeps at most; beyond it new ones stay in their `_error` queue on the broker.</summary>
    public int MaxMessages { get; set; } = 10_000;
    /// <summary>Bytes of bodies the store keeps at most; beyond it new ones stay in their `_error` queue on the broker.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>How long a replay or discard holds its dead letter (a second action on it meanwhile gets 409).</summary>
    public TimeSpan ActionLease { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Prefix of the Redis keys (one deployment per prefix).</summary>
    public string KeyPrefix { get; set; } = "wecombridge:dead-letters:";
    /// <summary>Names of the API keys (SendApi:ApiKeys:n:Name) that may use the dead-letter and quarantine routes; empty: every key.</summary>
    public List<string> OperatorKeys { get; set; } = [];
    /// <summary>JSON field names masked in shown bodies, on top of the built-in list (names, mobiles, remarks, texts).</summary>
    public List<string> MaskedFields { get; set; } = [];
}

internal sealed class DeadLetterOptionsValidator : IValidateOptions<DeadLetterOptions>
{
    public ValidateOptionsResult Validate(string? name, DeadLetterOptions options)
    {
        var errors = new List<string>();
        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromHours(1))
            errors.Add("DeadLetters:PollInterval must be from 00:00:00.1 to 01:00:00");
        if (options.MaxMessages is < 1 or > 1_000_000) errors.Add("DeadLetters:MaxMessages must be 1–1000000");
        if (options.MaxBytes is < 1024 or > 16L * 1024 * 1024 * 1024) errors.Add("DeadLetters:MaxBytes must be 1024 to 17179869184");
        if (options.ActionLease < TimeSpan.FromSeconds(1) || options.ActionLease > TimeSpan.FromMinutes(10))
            errors.Add("DeadLetters:ActionLease must be from 00:00:01 to 00:10:00");
        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.Length > 100)
            errors.Add("DeadLetters:KeyPrefix must be 1–100 characters");
        if (options.OperatorKeys.Any(string.IsNullOrWhiteSpace)) errors.Add("DeadLetters:OperatorKeys must not hold empty names");
        if (options.MaskedFields.Any(string.IsNullOrWhiteSpace)) errors.Add("DeadLetters:MaskedFields must not hold empty names");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;

namespace WecomBridge.WeCom;

/// <summary>Checks "ApiClients" at start; messages name the setting.</summary>
internal sealed class ApiClientOptionsValidator : IValidateOptions<ApiClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiClientOptions o)
    {
        var errors = new List<string>();
        if (o.MaxAttempts is < 1 or > 10) errors.Add("ApiClients:MaxAttempts must be between 1 and 10");
        if (o.NotExternalContactRetries is < 0 or > 5) errors.Add("ApiClients:NotExternalContactRetries must be between 0 and 5");
        Positive(errors, "RetryBaseDelay", o.RetryBaseDelay);
        Positive(errors, "AttemptTimeout", o.AttemptTimeout);
        Positive(errors, "TokenRefreshAhead", o.TokenRefreshAhead);
        Positive(errors, "TokenPollInterval", o.TokenPollInterval);
        if (o.RetryMaxDelay < o.RetryBaseDelay) errors.Add("ApiClients:RetryMaxDelay must not be less than ApiClients:RetryBaseDelay");
        if (o.NotExternalContactDelay < TimeSpan.Zero) errors.Add("ApiClients:NotExternalContactDelay must not be negative");
        if (o.TokenWaitBound <= o.TokenPollInterval) errors.Add("ApiClients:TokenWaitBound must be longer than ApiClients:TokenPollInterval");
        if (string.IsNullOrWhiteSpace(o.TokenKeyPrefix)) errors.Add("ApiClients:TokenKeyPrefix is required");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) errors.Add($"ApiClients:{setting} must be positive");
    }
}

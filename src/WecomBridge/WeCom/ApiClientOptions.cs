namespace WecomBridge.WeCom;

/// <summary>"ApiClients": retries, timeouts and token caching of the WeCom and Official Account clients.</summary>
public sealed class ApiClientOptions
{
    public const string Section = "ApiClients";

    /// <summary>Attempts of one call for transient failures (busy, 45033, 5xx, connection, timeout).</summary>
    public int MaxAttempts { get; set; } = 3;
    /// <summary>First backoff delay; doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Retries of 84061 (not an external contact), which can be transient right after an add event.</summary>
    public int NotExternalContactRetries { get; set; } = 2;
    public TimeSpan NotExternalContactDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A cached token is refreshed when less than this is left (at most half its lifetime).</summary>
    public TimeSpan TokenRefreshAhead { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a caller waits for another instance's refresh before giving up.</summary>
    public TimeSpan TokenWaitBound { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan TokenPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Prefix of the Redis keys of tokens and their refresh locks.</summary>
    public string TokenKeyPrefix { get; set; } = "wb:token:";
}

namespace WecomBridge.WeCom;

/// <summary>What a failed WeCom or Official Account call means for the caller (docs/wecom-protocol.md §6).</summary>
public enum ApiErrorClass
{
    /// <summary>errcode 0.</summary>
    Success,

    /// <summary>Busy, version conflict, concurrency, HTTP 5xx, connection failure, timeout: retry with backoff.</summary>
    Transient,

    /// <summary>The access token is invalid or expired: refresh it once and retry once.</summary>
    TokenExpired,

    /// <summary>A rate limit or quota: no hot retry; the dispatcher pauses the bucket.</summary>
    Throttled,

    /// <summary>
    /// The corp's, app's or account's setup refuses every call of its kind (bad secret or corp id, IP not trusted, API
    /// forbidden): no retry; the dispatcher pauses those sends and keeps them until an operator fixes the setup.
    /// </summary>
    Configuration,

    /// <summary>Anything else: retrying cannot help (bad recipient, permission, bad input).</summary>
    Permanent,
}

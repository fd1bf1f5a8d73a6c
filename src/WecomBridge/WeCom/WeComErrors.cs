namespace WecomBridge.WeCom;

/// <summary>WeCom errcodes (docs/wecom-protocol.md §6). Unknown non-zero codes are permanent.</summary>
public static class WeComErrors
{
    /// <summary>"Not an external contact": can be transient right after an add event, so it gets a few slow retries.</summary>
    public const int NotExternalContact = 84061;

    public static ApiErrorClass Classify(int errcode) => errcode switch
    {
        0 => ApiErrorClass.Success,
        -1 => ApiErrorClass.Transient,         // system busy
        6000 => ApiErrorClass.Transient,       // data version conflict
        45033 => ApiErrorClass.Transient,      // concurrency ceiling: jittered retry
        NotExternalContact => ApiErrorClass.Transient,
        40014 or 42001 => ApiErrorClass.TokenExpired,
        45009 => ApiErrorClass.Throttled,      // frequency limit: pause the bucket
        40001 => ApiErrorClass.Configuration,  // a bad secret on WeCom, not a stale token
        40013 => ApiErrorClass.Configuration,  // bad corp id
        48002 => ApiErrorClass.Configuration,  // API forbidden to this app (permission, not a customer-contact app)
        60020 => ApiErrorClass.Configuration,  // IP not in the app's trusted IPs
        _ => ApiErrorClass.Permanent,
    };
}

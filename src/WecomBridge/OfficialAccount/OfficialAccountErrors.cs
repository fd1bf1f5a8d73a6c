using WecomBridge.WeCom;

namespace WecomBridge.OfficialAccount;

/// <summary>Official Account errcodes (docs/wecom-protocol.md §6): they differ from WeCom's. Unknown non-zero codes are permanent.</summary>
public static class OfficialAccountErrors
{
    public static ApiErrorClass Classify(int errcode) => errcode switch
    {
        0 => ApiErrorClass.Success,
        -1 => ApiErrorClass.Transient,                          // system busy
        40001 or 40014 or 42001 => ApiErrorClass.TokenExpired,  // on OA 40001 means "credential invalid or not the latest"
        45009 => ApiErrorClass.Throttled,                       // daily quota
        45011 => ApiErrorClass.Throttled,                       // per-minute limit: back off ≥ 60 s
        45066 => ApiErrorClass.Throttled,                       // mass send retried too fast: wait 60 s
        40013 => ApiErrorClass.Configuration,                   // bad AppID
        40125 => ApiErrorClass.Configuration,                   // bad AppSecret
        40164 => ApiErrorClass.Configuration,                   // IP not in the account's IP whitelist
        48001 => ApiErrorClass.Configuration,                   // API unauthorized for this account
        _ => ApiErrorClass.Permanent,                           // 43004, 45015, 45047, 48002 (user refuses), 40037, 47003…
    };
}

namespace WecomBridge.Sending.Limits;

/// <summary>What an operator should do about a pause (the errcode table of docs/wecom-protocol.md §6).</summary>
internal static class SendPauseAdvice
{
    public static string For(PauseTarget target, string cause, int? errCode)
    {
        var secret = target.IsOfficialAccount ? $"OfficialAccounts:Accounts:{target.Account}:Secret"
            : target.UsesAppSecret ? $"WeCom:Corps:{target.Corp}:Apps:{target.App}:Secret" : $"WeCom:Corps:{target.Corp}:ContactSecret";
        return (target.IsOfficialAccount, cause, errCode) switch
        {
            (true, PauseCauses.Quota, _) => "the account's daily quota of this API is used up: sends resume at midnight " +
                "(Dispatch:Pauses:QuotaTimeZone); a larger quota is asked for in the MP console",
            (true, PauseCauses.Throttled, _) => "the account's per-minute limit: sends wait at least 60 s; " +
                "lower Dispatch:Defaults:ApiCallsPerMinute if it recurs",
            (_, PauseCauses.Throttled, _) => "WeCom's frequency limit of this API: sends wait, longer each time it recurs; " +
                $"lower Dispatch:Corps:{target.Corp}:ApiCallsPerMinute (or Dispatch:Defaults) if it recurs",
            (false, _, 60020) => "this server's public IP is not among the app's trusted IPs: add it in the WeCom admin console " +
                "(app → trusted IPs)",
            (false, _, 48002) => $"the app may not call {target.Api}: give it the permission in the WeCom admin console " +
                "(customer contact → API → apps that may call it) or use the secret of an app that has it",
            (false, _, 40001) => $"WeCom refuses the secret: the secret was reset or is wrong; set {secret}",
            (false, _, 40013) => $"WeCom does not know the corp id: check WeCom:Corps:{target.Corp}:CorpId",
            (true, _, 40013) => $"WeChat does not know the AppID: check OfficialAccounts:Accounts:{target.Account}:AppId",
            (true, _, 40125) => $"WeChat refuses the AppSecret: the secret was reset or is wrong; set {secret}",
            (true, _, 40164) => "this server's public IP is not in the account's IP whitelist: add it in the MP console " +
                "(settings and development → basic configuration)",
            (true, _, 48001) => $"the account is not authorised to call {target.Api} (account type or verification): " +
                "check its permissions in the MP console",
            _ => "the corp's, app's or account's setup refuses the call: check its configuration and permissions",
        };
    }
}

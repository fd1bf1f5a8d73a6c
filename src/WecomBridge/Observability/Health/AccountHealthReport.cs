using Microsoft.Extensions.Options;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Limits;
using WecomBridge.WeCom;

namespace WecomBridge.Observability.Health;

/// <summary>
/// Builds the health of every configured corp, app and account from the recorded marks (token fetches, callbacks
/// heard) and, on a dispatcher, the send pauses; the advice is the errcode table's (<see cref="SendPauseAdvice"/>).
/// </summary>
internal sealed class AccountHealthReport(
    IAccountHealthStore store, IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<OfficialAccountOptions> accounts,
    IServiceProvider services, TimeProvider time)
{
    public async Task<AccountHealthPage> BuildAsync(Func<string, bool> corpWanted, Func<string, bool> accountWanted)
    {
        var marks = await store.AllAsync();
        var pauses = services.GetService<ISendPauseStore>() is { } pauseStore ? await pauseStore.AllAsync() : [];
        var corps = wecom.CurrentValue.Corps.Where(c => corpWanted(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => Corp(c.Key, c.Value, marks, pauses)).ToArray();
        var oas = accounts.CurrentValue.Accounts.Where(a => accountWanted(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => Account(a.Key, a.Value, marks, pauses)).ToArray();
        var statuses = corps.Select(c => c.Status).Concat(oas.Select(a => a.Status)).ToArray();
        var status = statuses.Contains(HealthStates.Degraded) ? HealthStates.Degraded
            : statuses.Length > 0 && statuses.All(s => s == HealthStates.Unknown) ? HealthStates.Unknown : HealthStates.Healthy;
        return new AccountHealthPage(status, time.GetUtcNow(), corps, oas);
    }

    private static CorpHealth Corp(string corp, CorpOptions o, IReadOnlyDictionary<string, HealthMark> marks, IReadOnlyList<SendPause> pauses)
    {
        var contact = string.IsNullOrEmpty(o.ContactSecret) ? null
            : Token($"WeCom:Corps:{corp}:ContactSecret", new WeComCredential(o.CorpId, o.ContactSecret).TokenKey, marks,
                new PauseTarget(corp, null, null, "gettoken", false));
        var apps = o.Apps.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new AppHealth(a.Key,
            string.IsNullOrEmpty(a.Value.Secret) ? null
                : Token($"WeCom:Corps:{corp}:Apps:{a.Key}:Secret", new WeComCredential(o.CorpId, a.Value.Secret).TokenKey, marks,
                    new PauseTarget(corp, a.Key, null, "gettoken", true)),
            string.IsNullOrEmpty(a.Value.Token) ? null
                : Callback($"/callbacks/wecom/{corp}/{a.Key}", AccountHealthMarks.CallbackField("wecom", corp, a.Key, true)[..^3], marks,
                    $"set WeCom:Corps:{corp}:Apps:{a.Key}:Token and EncodingAesKey to the app's 'receive messages' settings " +
                    "in the WeCom admin console"))).ToArray();
        var ours = Pauses(pauses.Where(p => p.Account is null && string.Equals(p.Corp, corp, StringComparison.OrdinalIgnoreCase)));
        var problems = new List<string>();
        if (contact is { State: HealthStates.Failing }) problems.Add(Problem(contact));
        foreach (var app in apps)
        {
            if (app.Token is { State: HealthStates.Failing } token) problems.Add(Problem(token));
            if (app.Callback is { State: HealthStates.Refused } callback) problems.Add($"{callback.Url}: {callback.Refusal}: {callback.Advice}");
        }
        problems.AddRange(ours.Where(p => p.Cause == PauseCauses.Configuration).Select(Problem));
        var tokens = apps.Select(a => a.Token).Prepend(contact).OfType<TokenHealth>().ToArray();
        var callbacks = apps.Select(a => a.Callback).OfType<CallbackHealth>().ToArray();
        return new CorpHealth(corp, Status(problems, tokens, callbacks), contact, apps, ours, problems);
    }

    private static AccountHealth Account(
        string account, AccountOptions o, IReadOnlyDictionary<string, HealthMark> marks, IReadOnlyList<SendPause> pauses)
    {
        var token = string.IsNullOrEmpty(o.Secret) ? null
            : Token($"OfficialAccounts:Accounts:{account}:Secret", new OfficialAccountCredential(o.AppId, o.Secret).TokenKey, marks,
                new PauseTarget(null, null, account, "stable_token", false));
        var callback = string.IsNullOrEmpty(o.Token) ? null
            : Callback($"/callbacks/oa/{account}", AccountHealthMarks.CallbackField("oa", account, null, true)[..^3], marks,
                $"set OfficialAccounts:Accounts:{account}:Token (and EncodingAesKey in safe mode) to the MP console's server configuration");
        var ours = Pauses(pauses.Where(p => string.Equals(p.Account, account, StringComparison.OrdinalIgnoreCase)));
        var problems = new List<string>();
        if (token is { State: HealthStates.Failing }) problems.Add(Problem(token));
        if (callback is { State: HealthStates.Refused }) problems.Add($"{callback.Url}: {callback.Refusal}: {callback.Advice}");
        problems.AddRange(ours.Where(p => p.Cause == PauseCauses.Configuration).Select(Problem));
        return new AccountHealth(account, Status(problems, token is null ? [] : [token], callback is null ? [] : [callback]), token, callback,
            ours, problems);
    }

    private static TokenHealth Token(string setting, string tokenKey, IReadOnlyDictionary<string, HealthMark> marks, PauseTarget target)
    {
        var ok = marks.GetValueOrDefault(AccountHealthMarks.TokenField(tokenKey, true));
        var fail = marks.GetValueOrDefault(AccountHealthMarks.TokenField(tokenKey, false));
        if (fail is null || (ok is not null && ok.AtMs >= fail.AtMs))
            return new TokenHealth(setting, ok is null ? HealthStates.Unknown : HealthStates.Ok, ok?.At, fail?.At, null, null, null);
        return new TokenHealth(setting, HealthStates.Failing, ok?.At, fail.At, fail.ErrCode, fail.Reason, TokenAdvice(target, fail));
    }

    /// <summary>The errcode table's advice for a configuration errcode; otherwise what a transient or unknown failure means.</summary>
    private static string TokenAdvice(PauseTarget target, HealthMark fail) => fail.Reason switch
    {
        nameof(ApiErrorClass.Configuration) => SendPauseAdvice.For(target, PauseCauses.Configuration, fail.ErrCode),
        nameof(ApiErrorClass.Transient) => "the token request got no usable answer (busy, HTTP 5xx, timeout or no connection): check this " +
            "server's egress to the API; calls retry by themselves",
        _ => $"the token request was refused (errcode {fail.ErrCode}): look the errcode up in docs/wecom-protocol.md §6",
    };

    private static CallbackHealth Callback(string url, string prefix, IReadOnlyDictionary<string, HealthMark> marks, string fix)
    {
        var heard = marks.GetValueOrDefault(prefix + ":ok");
        var refused = marks.GetValueOrDefault(prefix + ":fail");
        if (refused is not null && (heard is null || refused.AtMs > heard.AtMs))
        {
            var signature = refused.Reason == "signature mismatch";
            return new CallbackHealth(url, signature ? HealthStates.Refused : HealthStates.Heard, heard?.At, refused.At, refused.Reason,
                signature ? $"callbacks arrive but their signature does not match: {fix}" : null);
        }
        return new CallbackHealth(url, heard is null ? HealthStates.Never : HealthStates.Heard, heard?.At, refused?.At, refused?.Reason, null);
    }

    private static PauseHealth[] Pauses(IEnumerable<SendPause> pauses) => pauses.OrderBy(p => p.Scope, StringComparer.Ordinal)
        .Select(p => new PauseHealth(p.Scope, p.Cause, p.ErrCode, p.Since, p.Until, p.Advice)).ToArray();

    private static string Problem(TokenHealth t) =>
        $"{t.Secret}: token fetch failing since {t.LastFailedAt:u} (errcode {t.ErrCode?.ToString() ?? "none"}): {t.Advice}";

    private static string Problem(PauseHealth p) => $"sends of {p.Scope} paused since {p.Since:u} (errcode {p.ErrCode}): {p.Advice}";

    private static string Status(List<string> problems, IReadOnlyList<TokenHealth> tokens, IReadOnlyList<CallbackHealth> callbacks) =>
        problems.Count > 0 ? HealthStates.Degraded
        : tokens.Any(t => t.State == HealthStates.Ok) || callbacks.Any(c => c.State == HealthStates.Heard) ? HealthStates.Healthy
        : HealthStates.Unknown;
}

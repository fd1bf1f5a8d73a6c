using Microsoft.Extensions.Options;
using WecomBridge.WeCom;

namespace WecomBridge.OfficialAccount;

/// <summary>An account's appid and secret, which own one (stable) access token.</summary>
public sealed class OfficialAccountCredential(string appId, string secret)
{
    public string AppId => appId;
    internal string Secret => secret;
    internal string TokenKey => $"oa:{appId}:{WeComCredential.SecretHash(secret)}";

    public override string ToString() => $"OfficialAccountCredential {{ AppId = {appId} }}";
}

/// <summary>Credentials of the configured accounts (OfficialAccounts:Accounts:{account}).</summary>
public sealed class OfficialAccountCredentials(IOptionsMonitor<OfficialAccountOptions> options)
{
    public bool HasSecret(string account) =>
        options.CurrentValue.Accounts.TryGetValue(account, out var found) && !string.IsNullOrEmpty(found.Secret);

    public OfficialAccountCredential For(string account) =>
        options.CurrentValue.Accounts.TryGetValue(account, out var found) && !string.IsNullOrEmpty(found.Secret)
            ? new OfficialAccountCredential(found.AppId, found.Secret)
            : throw new InvalidOperationException($"OfficialAccounts:Accounts:{account} is not configured or has no Secret");
}

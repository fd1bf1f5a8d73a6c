using Microsoft.Extensions.Options;
using WecomBridge.Callbacks.Crypto;
using WecomBridge.OfficialAccount;
using WecomBridge.WeCom;

namespace WecomBridge.Callbacks;

/// <summary>The configured callback sources, each with its crypto built once at start.</summary>
internal sealed class CallbackSources
{
    private readonly Dictionary<(string Corp, string App), WeComSource> _wecom = new(new KeyComparer());
    private readonly Dictionary<string, AccountSource> _accounts = new(StringComparer.OrdinalIgnoreCase);

    public CallbackSources(IOptions<WeComOptions> wecom, IOptions<OfficialAccountOptions> accounts)
    {
        foreach (var (corpKey, corp) in wecom.Value.Corps)
            foreach (var (appKey, app) in corp.Apps)
                _wecom[(corpKey, appKey)] = new WeComSource(corpKey, appKey, corp.CorpId,
                    new CallbackCrypto(app.Token, app.EncodingAesKey, corp.CorpId));
        foreach (var (key, account) in accounts.Value.Accounts)
            _accounts[key] = new AccountSource(key, account.AppId, account.Token,
                string.IsNullOrEmpty(account.EncodingAesKey) ? null : new CallbackCrypto(account.Token, account.EncodingAesKey, account.AppId));
    }

    public WeComSource? WeCom(string corp, string app) => _wecom.GetValueOrDefault((corp, app));

    public AccountSource? Account(string account) => _accounts.GetValueOrDefault(account);

    public sealed record WeComSource(string Corp, string App, string CorpId, CallbackCrypto Crypto)
    {
        /// <summary>"{corp}/{app}" as in the callback URL: configuration keys, safe to log.</summary>
        public string Key => $"{Corp}/{App}";
    }

    /// <summary>Crypto is null in plaintext mode (no EncodingAesKey configured).</summary>
    public sealed record AccountSource(string Account, string AppId, string Token, CallbackCrypto? Crypto);

    private sealed class KeyComparer : IEqualityComparer<(string, string)>
    {
        public bool Equals((string, string) x, (string, string) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Item1, y.Item1) && StringComparer.OrdinalIgnoreCase.Equals(x.Item2, y.Item2);

        public int GetHashCode((string, string) key) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(key.Item1), StringComparer.OrdinalIgnoreCase.GetHashCode(key.Item2));
    }
}

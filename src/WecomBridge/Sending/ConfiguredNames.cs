using System.Diagnostics.CodeAnalysis;
using WecomBridge.Contracts.Sending;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Api;
using WecomBridge.WeCom;

namespace WecomBridge.Sending;

/// <summary>
/// Corp, app and account names as configured. .NET configuration keys ignore case, so `WeCom:Corps:Acme` also
/// answers to `acme`; buckets, caps, statuses, suppression scopes and named send policies compare names exactly.
/// Every intake (the send and suppression APIs, the dispatcher's consumers) maps a name to the configured key's
/// spelling, so that both spellings share one bucket and one cap. An unknown name is kept as given: it stays an
/// error wherever it is checked.
/// </summary>
internal static class ConfiguredNames
{
    [return: NotNullIfNotNull(nameof(name))]
    public static string? Corp(WeComOptions wecom, string? name) => Match(wecom.Corps.Keys, name);

    [return: NotNullIfNotNull(nameof(app))]
    public static string? App(WeComOptions wecom, string? corp, string? app) =>
        corp is not null && wecom.Corps.TryGetValue(corp, out var options) ? Match(options.Apps.Keys, app) : app;

    [return: NotNullIfNotNull(nameof(name))]
    public static string? Account(OfficialAccountOptions accounts, string? name) => Match(accounts.Accounts.Keys, name);

    /// <summary>The request with its corp, app and account as configured.</summary>
    public static SendMessageRequest Of(SendMessageRequest request, WeComOptions wecom, OfficialAccountOptions accounts)
    {
        var corp = Corp(wecom, request.Corp);
        return request with { Corp = corp, App = App(wecom, corp, request.App), Account = Account(accounts, request.Account) };
    }

    /// <summary>A command as configured: one from another producer may spell a name differently.</summary>
    public static SendRequested Of(SendRequested send, WeComOptions wecom, OfficialAccountOptions accounts)
    {
        var corp = Corp(wecom, send.Corp);
        return send with { Corp = corp, App = App(wecom, corp, send.App), Account = Account(accounts, send.Account) };
    }

    [return: NotNullIfNotNull(nameof(name))]
    private static string? Match(IEnumerable<string> configured, string? name)
    {
        if (name is null) return null;
        foreach (var key in configured)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return key;
        return name;
    }
}

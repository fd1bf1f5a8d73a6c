using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// What a send can be paused by: the corp's (or account's) bucket of its API, which a throttle pauses, and the
/// groups a configuration error pauses: the corp or account (wrong corp id / AppID), the secret it calls with
/// (the customer-contact secret or the app's: wrong secret, IP not trusted) and that secret's use of the API
/// (API forbidden).
/// </summary>
internal sealed record PauseTarget(string? Corp, string? App, string? Account, string Api, bool UsesAppSecret)
{
    public static PauseTarget Of(SendRequested send) =>
        new(send.Corp, send.App, send.Account, SendCalls.ApiOf(send.Kind), send.Kind == SendKinds.EmployeeMessage);

    public static PauseTarget Welcome(string corp, string app) => new(corp, app, null, SendCalls.ApiOf(SendKinds.Welcome), true);

    public bool IsOfficialAccount => Account is not null;

    private string Owner => Account is { } account ? $"oa:{account}" : $"wecom:{Corp}";

    private string Secret => IsOfficialAccount ? Owner : UsesAppSecret ? $"{Owner}:app:{App}" : $"{Owner}:contact";

    /// <summary>The corp's (or account's) bucket of the API, as <see cref="SendBuckets.ApiBucket"/> names it.</summary>
    public string Bucket => $"{Owner}:{Api}";

    /// <summary>Every configuration scope that holds this send back, widest first.</summary>
    public IReadOnlyList<string> ConfigurationScopes => IsOfficialAccount ? [Owner, $"{Owner}:{Api}"] : [Owner, Secret, $"{Secret}:{Api}"];

    /// <summary>The group a configuration errcode shows to be broken (docs/wecom-protocol.md §6), and what it names.</summary>
    public (string Scope, string? App, string? Api) ScopeOf(int? errCode) => (IsOfficialAccount, errCode) switch
    {
        (false, 40013) or (true, 40013 or 40125 or 40164) => (Owner, null, null),
        (false, 48002) => ($"{Secret}:{Api}", UsesAppSecret ? App : null, Api),
        (true, _) => ($"{Owner}:{Api}", null, Api),                // 48001: this API is not authorised for the account
        _ => (Secret, UsesAppSecret ? App : null, null),            // 40001, 60020: the secret, or the app's trusted IPs
    };
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WecomBridge.WeCom;

/// <summary>A corp id and one of its secrets (contact secret or an app's), which owns one access token.</summary>
public sealed class WeComCredential(string corpId, string secret, string? agentId = null)
{
    public string CorpId => corpId;
    /// <summary>The app's agent id (message/send); null for the contact secret.</summary>
    public string? AgentId => agentId;
    internal string Secret => secret;

    /// <summary>Cache key of the token: the corp and a hash of the secret, never the secret itself.</summary>
    internal string TokenKey => $"wecom:{corpId}:{SecretHash(secret)}";

    public override string ToString() => $"WeComCredential {{ CorpId = {corpId}, AgentId = {agentId} }}";

    internal static string SecretHash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];
}

/// <summary>Credentials of the configured corps (WeCom:Corps:{corp}), by their configuration keys.</summary>
public sealed class WeComCredentials(IOptionsMonitor<WeComOptions> options)
{
    /// <summary>The customer-contact secret, or else the first app secret (which must have the permission).</summary>
    public WeComCredential Contact(string corp)
    {
        var corpOptions = Corp(corp);
        var secret = corpOptions.ContactSecret ?? corpOptions.Apps.Values.Select(a => a.Secret).FirstOrDefault(s => !string.IsNullOrEmpty(s))
            ?? throw new InvalidOperationException($"WeCom:Corps:{corp} has no ContactSecret and no app secret");
        return new WeComCredential(corpOptions.CorpId, secret);
    }

    /// <summary>Whether <see cref="Contact"/> has a secret to use (enrichment skips corps without one).</summary>
    public bool HasContactSecret(string corp) =>
        options.CurrentValue.Corps.TryGetValue(corp, out var found)
        && (!string.IsNullOrEmpty(found.ContactSecret) || found.Apps.Values.Any(a => !string.IsNullOrEmpty(a.Secret)));

    public WeComCredential App(string corp, string app)
    {
        var corpOptions = Corp(corp);
        if (!corpOptions.Apps.TryGetValue(app, out var appOptions) || string.IsNullOrEmpty(appOptions.Secret))
            throw new InvalidOperationException($"WeCom:Corps:{corp}:Apps:{app} has no Secret");
        return new WeComCredential(corpOptions.CorpId, appOptions.Secret, appOptions.AgentId);
    }

    private CorpOptions Corp(string corp) => options.CurrentValue.Corps.TryGetValue(corp, out var found)
        ? found
        : throw new InvalidOperationException($"WeCom:Corps:{corp} is not configured");
}

using Microsoft.Extensions.Options;
using WecomBridge.Hosting;

namespace WecomBridge.OfficialAccount;

/// <summary>"OfficialAccounts": keys are the {account} of the callback URL.</summary>
public sealed class OfficialAccountOptions
{
    public const string Section = "OfficialAccounts";

    /// <summary>API base; unset in Development means the in-process fake.</summary>
    public Uri? BaseUrl { get; set; }

    public Dictionary<string, AccountOptions> Accounts { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class AccountOptions
{
    public string AppId { get; set; } = "";
    public string? Secret { get; set; }
    public string Token { get; set; } = "";

    /// <summary>43 characters, or empty for plaintext mode.</summary>
    public string? EncodingAesKey { get; set; }
}

internal sealed class OfficialAccountOptionsValidator : IValidateOptions<OfficialAccountOptions>
{
    public ValidateOptionsResult Validate(string? name, OfficialAccountOptions options)
    {
        var errors = new List<string>();
        SettingRules.AbsoluteHttpUrl(errors, "OfficialAccounts:BaseUrl", options.BaseUrl);
        foreach (var (key, account) in options.Accounts)
        {
            var path = $"OfficialAccounts:Accounts:{key}";
            SettingRules.Required(errors, $"{path}:AppId", account.AppId);
            SettingRules.CallbackToken(errors, $"{path}:Token", account.Token);
            SettingRules.EncodingAesKey(errors, $"{path}:EncodingAesKey", account.EncodingAesKey, optional: true);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;
using WecomBridge.Hosting;

namespace WecomBridge.WeCom;

/// <summary>"WeCom": the corps, their apps and callback settings. Keys are the {corp}/{app} of the callback URL.</summary>
public sealed class WeComOptions
{
    public const string Section = "WeCom";

    /// <summary>API base; unset in Development means the in-process fake.</summary>
    public Uri? BaseUrl { get; set; }

    public Dictionary<string, CorpOptions> Corps { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class CorpOptions
{
    public string CorpId { get; set; } = "";

    /// <summary>Secret of the customer-contact ("客户联系") app; optional when an app secret has the permission.</summary>
    public string? ContactSecret { get; set; }

    public Dictionary<string, CorpAppOptions> Apps { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class CorpAppOptions
{
    public string? AgentId { get; set; }
    public string? Secret { get; set; }
    public string Token { get; set; } = "";
    public string EncodingAesKey { get; set; } = "";

    /// <summary>Welcome messages by the contact way's State (`default` for any other): see <see cref="Sending.Welcome.WelcomeOptions"/>.</summary>
    public Dictionary<string, Sending.Welcome.WelcomeOptions> Welcome { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class WeComOptionsValidator : IValidateOptions<WeComOptions>
{
    public ValidateOptionsResult Validate(string? name, WeComOptions options)
    {
        var errors = new List<string>();
        SettingRules.AbsoluteHttpUrl(errors, "WeCom:BaseUrl", options.BaseUrl);
        foreach (var (key, corp) in options.Corps)
        {
            var path = $"WeCom:Corps:{key}";
            SettingRules.Required(errors, $"{path}:CorpId", corp.CorpId);
            foreach (var (appKey, app) in corp.Apps)
            {
                var appPath = $"{path}:Apps:{appKey}";
                if (!string.IsNullOrEmpty(app.AgentId) && !app.AgentId.All(char.IsAsciiDigit))
                    errors.Add($"{appPath}:AgentId must be a number");
                SettingRules.CallbackToken(errors, $"{appPath}:Token", app.Token);
                SettingRules.EncodingAesKey(errors, $"{appPath}:EncodingAesKey", app.EncodingAesKey);
                foreach (var (state, welcome) in app.Welcome) errors.AddRange(welcome.Check($"{appPath}:Welcome:{state}"));
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;
using WecomBridge.OfficialAccount;
using WecomBridge.WeCom;

namespace WecomBridge.Api;

/// <summary>"SendApi": API keys, stored as SHA-256 hashes, each scoped to corps and accounts.</summary>
public sealed class SendApiOptions
{
    public const string Section = "SendApi";

    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>How long POST /api/v1/messages waits for the broker to confirm a command before it answers 503.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class ApiKeyOptions
{
    public string Name { get; set; } = "";

    /// <summary>Lowercase or uppercase hex SHA-256 of the key (`printf %s "$KEY" | sha256sum`).</summary>
    public string KeyHash { get; set; } = "";

    public List<string> Corps { get; set; } = [];
    public List<string> Accounts { get; set; } = [];
}

internal sealed class SendApiOptionsValidator(IOptions<WeComOptions> wecom, IOptions<OfficialAccountOptions> accounts)
    : IValidateOptions<SendApiOptions>
{
    public ValidateOptionsResult Validate(string? name, SendApiOptions options)
    {
        var errors = new List<string>();
        if (options.PublishTimeout <= TimeSpan.Zero) errors.Add("SendApi:PublishTimeout must be positive");
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var path = $"SendApi:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name)) errors.Add($"{path}:Name is required");
            if (key.KeyHash.Length != 64 || !key.KeyHash.All(char.IsAsciiHexDigit))
                errors.Add($"{path}:KeyHash must be the 64 hex digits of a SHA-256 hash");
            for (var c = 0; c < key.Corps.Count; c++)
                if (!wecom.Value.Corps.ContainsKey(key.Corps[c]))
                    errors.Add($"{path}:Corps:{c} names '{key.Corps[c]}', which is not a key of WeCom:Corps");
            for (var a = 0; a < key.Accounts.Count; a++)
                if (!accounts.Value.Accounts.ContainsKey(key.Accounts[a]))
                    errors.Add($"{path}:Accounts:{a} names '{key.Accounts[a]}', which is not a key of OfficialAccounts:Accounts");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

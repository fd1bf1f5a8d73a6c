using Microsoft.Extensions.Options;

namespace WecomBridge.Hosting;

/// <summary>"Bridge": which roles this process plays. Both by default; one image, N of each in production.</summary>
public sealed class BridgeOptions
{
    public const string Section = "Bridge";
    public const string Gateway = "Gateway";
    public const string Dispatcher = "Dispatcher";

    public List<string> Roles { get; set; } = [];

    /// <summary>Roles after defaults: both when none are configured.</summary>
    public IReadOnlyList<string> EffectiveRoles => Roles.Count == 0 ? [Gateway, Dispatcher] : Roles;

    public bool Has(string role) => EffectiveRoles.Contains(role, StringComparer.OrdinalIgnoreCase);
}

internal sealed class BridgeOptionsValidator : IValidateOptions<BridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, BridgeOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Roles.Count; i++)
        {
            var role = options.Roles[i];
            if (!string.Equals(role, BridgeOptions.Gateway, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(role, BridgeOptions.Dispatcher, StringComparison.OrdinalIgnoreCase))
                errors.Add($"Bridge:Roles:{i} is '{role}': a role is Gateway or Dispatcher");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;
using WecomBridge.OfficialAccount;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Limits;

internal static class ApiLimitsExtensions
{
    /// <summary>
    /// API limits: Dispatch:Defaults for every name, then each corp's Dispatch:Corps:{corp} and each account's
    /// Dispatch:Accounts:{account} on top; all validated at start.
    /// </summary>
    public static IHostApplicationBuilder AddApiLimits(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.Configure<ApiLimitOptions>((string?)null, config.GetSection("Dispatch:Defaults"));
        services.AddOptions<ApiLimitOptions>().ValidateOnStart();
        var names = config.GetSection(WeComOptions.Section + ":Corps").GetChildren()
            .Select(c => (Name: ApiLimits.CorpName(c.Key), Section: $"Dispatch:Corps:{c.Key}"))
            .Concat(config.GetSection(OfficialAccountOptions.Section + ":Accounts").GetChildren()
                .Select(a => (Name: ApiLimits.AccountName(a.Key), Section: $"Dispatch:Accounts:{a.Key}")));
        foreach (var (name, section) in names)
        {
            services.Configure<ApiLimitOptions>(name, config.GetSection(section));
            services.AddOptions<ApiLimitOptions>(name).ValidateOnStart();
        }
        services.AddSingleton<IValidateOptions<ApiLimitOptions>, ApiLimitOptionsValidator>();
        services.AddSingleton<ApiLimits>();
        return builder;
    }
}

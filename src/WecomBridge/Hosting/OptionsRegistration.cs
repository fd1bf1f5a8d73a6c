using Microsoft.Extensions.Options;

namespace WecomBridge.Hosting;

/// <summary>How a feature registers the options it owns: bound from their section, validated before the app listens.</summary>
internal static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates it with
    /// <typeparamref name="TValidator"/> on start. Idempotent, since options that features of both roles read are
    /// registered by each of those features: a second registration would bind twice and report each failure twice.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationType == typeof(TValidator)))
            return services;
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }
}

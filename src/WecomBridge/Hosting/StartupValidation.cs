using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using WecomBridge.Messaging;

namespace WecomBridge.Hosting;

/// <summary>Every setting checked before the app listens, so that a wrong one stops it with one line.</summary>
internal static class StartupValidation
{
    /// <summary>
    /// Validates every options class registered with ValidateOnStart, then binds every options class the app binds
    /// from configuration (validated on start or not) and what the bus reads when it starts, so that a value that does
    /// not convert stops the app here rather than in a background service. Returns the failures (each names its
    /// setting's path), empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> ValidateConfiguration(this IServiceProvider services, IServiceCollection registrations)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            foreach (var type in BoundOptionTypes(registrations)) Bind(services, type);
            _ = services.GetServices<ExcludedConsumers>().ToList();
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.ToList();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            return e.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures).ToList();
        }
        catch (InvalidOperationException e) when (ConfigurationValues.Describe(e) is { } failure)
        {
            return [failure];
        }
        // Connect to Redis now (when configured), not on the thread pool under the first burst of work.
        _ = services.GetService<StackExchange.Redis.IConnectionMultiplexer>();
        return [];
    }

    /// <summary>The app's options classes bound from configuration (BindConfiguration registers a change token source).</summary>
    private static IEnumerable<Type> BoundOptionTypes(IServiceCollection registrations) =>
        registrations.Select(r => r.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(t => t.GetGenericArguments()[0])
            .Where(t => t.Assembly == typeof(StartupValidation).Assembly)
            .Distinct();

    private static void Bind(IServiceProvider services, Type type)
    {
        try
        {
            BindMethod.MakeGenericMethod(type).Invoke(null, [services]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
        }
    }

    private static readonly MethodInfo BindMethod =
        typeof(StartupValidation).GetMethod(nameof(BindNamed), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Each named instance of <typeparamref name="T"/> (e.g. the send policy of each corp).</summary>
    private static void BindNamed<T>(IServiceProvider services) where T : class
    {
        var monitor = services.GetRequiredService<IOptionsMonitor<T>>();
        foreach (var source in services.GetServices<IOptionsChangeTokenSource<T>>())
            _ = monitor.Get(source.Name ?? Options.DefaultName);
    }
}

namespace WecomBridge.Hosting;

/// <summary>
/// Builds the app, checks every setting, maps it and runs it; a wrong setting stops it before it listens with one line
/// on stderr (`WecomBridge: invalid configuration: …`, each failure naming its setting's path) and exit code 1.
/// </summary>
internal static class BridgeHost
{
    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder> add, Action<WebApplication> map)
    {
        // A value the configuration binder cannot convert throws while the app is built (a switch read then) or
        // validated: both end in the same one line as a value that converts but is wrong.
        WebApplication app;
        try
        {
            var builder = WebApplication.CreateBuilder(args);
            add(builder);
            app = builder.Build();
            if (app.Services.ValidateConfiguration(builder.Services) is [_, ..] failures)
                return InvalidConfiguration(string.Join("; ", failures));
            map(app);
        }
        catch (ConfigurationException e)
        {
            return InvalidConfiguration(e.Message);
        }
        catch (InvalidOperationException e) when (ConfigurationValues.Describe(e) is { } failure)
        {
            return InvalidConfiguration(failure);
        }

        app.LogStartup();
        await app.RunAsync();
        return Environment.ExitCode; // 1 when the app stopped itself on a setting the broker refused (Messaging/QueueTypeMismatch.cs)
    }

    private static int InvalidConfiguration(string reason)
    {
        Console.Error.WriteLine($"WecomBridge: invalid configuration: {reason}");
        return 1;
    }
}

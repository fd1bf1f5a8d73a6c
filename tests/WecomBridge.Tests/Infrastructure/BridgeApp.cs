using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WecomBridge.Tests.Infrastructure;

/// <summary>The app in process with the given settings ("Section:Key" → value) and captured logs.</summary>
public sealed class BridgeApp(IReadOnlyDictionary<string, string?> settings, string environment = "Testing")
    : WebApplicationFactory<Program>
{
    public CapturedLogs Logs { get; } = new();

    /// <summary>Registrations a test adds after the app's own (ConfigureTestServices).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public static Dictionary<string, string?> WithServers(string? rabbitMq = null, string? redis = null) => new()
    {
        ["ConnectionStrings:RabbitMq"] = rabbitMq ?? TestServers.RabbitMq,
        ["ConnectionStrings:Redis"] = redis ?? TestServers.Redis,
    };

    private static readonly Dictionary<string, string> QuickRetries = new()
    {
        ["ApiClients:NotExternalContactDelay"] = "00:00:00.010",
        ["Enrichment:RetryMinInterval"] = "00:00:00.050",
        ["Enrichment:RetryMaxInterval"] = "00:00:00.200",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // No background polling of a real WeCom unless a test asks for it.
        if (!settings.ContainsKey("Polling:Moments:Enabled")) builder.UseSetting("Polling:Moments:Enabled", "false");
        // Tests that read an _error queue themselves must not race the dead-letter collector for it; its own tests turn it on.
        if (!settings.ContainsKey("DeadLetters:Enabled")) builder.UseSetting("DeadLetters:Enabled", "false");
        // Queues of this app alone: apps of other tests on the shared broker (some with a dead Redis) must not
        // take its messages as competing consumers.
        var own = "test-" + Guid.NewGuid().ToString("N")[..8];
        if (!settings.ContainsKey("Messaging:EndpointPrefix")) builder.UseSetting("Messaging:EndpointPrefix", own);
        if (!settings.ContainsKey("Enrichment:QueuePrefix")) builder.UseSetting("Enrichment:QueuePrefix", own + ".enrich.");
        // A gateway's enrichment reads every contact event on the shared broker, also other tests' contacts its fake
        // does not know (84061): at the defaults (20 s per retry, redelivery from 5 s) a consumer stays busy for
        // half a minute and the host's stop waits for it. Tests of those retries set their own.
        foreach (var (key, value) in QuickRetries)
            if (!settings.ContainsKey(key)) builder.UseSetting(key, value);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        if (TestServices is { } services) builder.ConfigureTestServices(services);
    }
}

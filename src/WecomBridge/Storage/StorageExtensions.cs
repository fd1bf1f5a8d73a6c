using StackExchange.Redis;

namespace WecomBridge.Storage;

/// <summary>
/// One Redis multiplexer when ConnectionStrings:Redis is set; otherwise each feature registers its
/// in-memory store (see <see cref="UsesRedis"/>).
/// </summary>
internal static class StorageExtensions
{
    public static bool UsesRedis(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));

    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString)) return builder;

        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false; // start while Redis is down; reconnect in the background
        options.ClientName ??= "wecombridge";
        // The shared thread pool instead of the client's own dedicated threads: on small machines their spinning
        // competes with the gateway's own work for the few cores there are.
        options.SocketManager = SocketManager.ThreadPool;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    /// <summary>host:port of the first endpoint, for logs (never the password).</summary>
    public static string Describe(string connectionString) =>
        ConfigurationOptions.Parse(connectionString).EndPoints.FirstOrDefault()?.ToString() ?? "(none)";
}

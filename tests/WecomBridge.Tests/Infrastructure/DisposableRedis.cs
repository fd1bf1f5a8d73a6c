namespace WecomBridge.Tests.Infrastructure;

/// <summary>A redis-server of one test's own (no persistence: a restart starts it empty).</summary>
public sealed class DisposableRedis : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(TestServers.TempRoot, "redis-" + Guid.NewGuid().ToString("N")[..8]);

    public int Port { get; } = TestServers.FreePort();
    public string ConnectionString => $"127.0.0.1:{Port},connectTimeout=500";

    public static async Task<DisposableRedis> StartAsync()
    {
        var redis = new DisposableRedis();
        await redis.StartAgainAsync();
        return redis;
    }

    public Task StartAgainAsync() => ServersScript.RunAsync("redis-start", _dir, Port.ToString());
    public Task StopAsync() => ServersScript.RunAsync("redis-stop", _dir);

    public async ValueTask DisposeAsync() => await StopAsync();
}

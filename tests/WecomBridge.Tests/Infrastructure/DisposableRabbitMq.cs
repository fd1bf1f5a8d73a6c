namespace WecomBridge.Tests.Infrastructure;

/// <summary>
/// A RabbitMQ of one test's own, started by scripts/servers.sh, for drills that stop and start the
/// broker without disturbing the shared one. Its data folder survives a stop, so durable queues do too.
/// </summary>
public sealed class DisposableRabbitMq : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(TestServers.TempRoot, "rabbitmq-" + Guid.NewGuid().ToString("N")[..8]);

    public int Port { get; } = TestServers.FreePort();
    public string Uri => $"amqp://guest:guest@127.0.0.1:{Port}/";

    /// <summary>The node's database (definitions and messages): wipe it while stopped to rebuild the broker empty.</summary>
    public string DataFolder => Path.Combine(_dir, "mnesia");

    public static async Task<DisposableRabbitMq> StartAsync()
    {
        var broker = new DisposableRabbitMq();
        await broker.StartAgainAsync();
        return broker;
    }

    public Task StartAgainAsync() => ServersScript.RunAsync("rabbitmq-start", _dir, Port.ToString());
    public Task StopAsync() => ServersScript.RunAsync("rabbitmq-stop", _dir);

    public async ValueTask DisposeAsync() => await StopAsync();
}

using System.Diagnostics;

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

    public static async Task<DisposableRabbitMq> StartAsync()
    {
        var broker = new DisposableRabbitMq();
        await broker.StartAgainAsync();
        return broker;
    }

    public Task StartAgainAsync() => Run("rabbitmq-start", _dir, Port.ToString());
    public Task StopAsync() => Run("rabbitmq-stop", _dir);

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task Run(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(TestServers.ServersScript);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (process.ExitCode != 0) throw new InvalidOperationException($"servers.sh {string.Join(' ', args)} failed: {await stderr}");
    }
}

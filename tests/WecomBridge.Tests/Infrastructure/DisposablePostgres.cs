namespace WecomBridge.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own (scripts/servers.sh: initdb on first start, trust auth on 127.0.0.1), for
/// drills that stop and start it without disturbing the shared one. Its data folder survives a stop.
/// </summary>
public sealed class DisposablePostgres : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(TestServers.TempRoot, "postgres-" + Guid.NewGuid().ToString("N")[..8]);

    public int Port { get; } = TestServers.FreePort();

    /// <summary>The maintenance database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    public static async Task<DisposablePostgres> StartAsync()
    {
        var postgres = new DisposablePostgres();
        await postgres.StartAgainAsync();
        return postgres;
    }

    public Task StartAgainAsync() => ServersScript.RunAsync("postgres-start", _dir, Port.ToString());

    /// <summary>A fast shutdown: open transactions are rolled back and every connection is closed.</summary>
    public Task StopAsync() => ServersScript.RunAsync("postgres-stop", _dir);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        // The folder is the postgres user's when the tests run as root; TempRoot goes with the run anyway.
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

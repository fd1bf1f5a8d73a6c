using System.Diagnostics;

namespace WecomBridge.Tests.Infrastructure;

/// <summary>
/// The app as a real process on its own port (Kestrel, so a closed connection is really closed), for
/// drills that kill it. Settings go in as environment variables ("WeCom:Corps:x" → "WeCom__Corps__x"); its role is
/// theirs (Bridge:Roles, both by default). <paramref name="name"/> names its log file and its failures.
/// </summary>
public sealed class GatewayProcess(IReadOnlyDictionary<string, string?> settings, string name = "gateway") : IAsyncDisposable
{
    private readonly string _log = Path.Combine(TestServers.TempRoot, $"{name}-{Guid.NewGuid():N}.log");
    private Process? _process;

    public int Port { get; } = TestServers.FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string Log => File.Exists(_log) ? File.ReadAllText(_log) : "";
    /// <summary>The id of the running process (of the last start).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"{name} not started");

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "--urls", BaseUrl])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Polling__Moments__Enabled"] = "false";
        start.Environment["Messaging__EndpointPrefix"] = "drill";
        start.Environment["Enrichment__QueuePrefix"] = "drill.enrich.";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.True(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"{name} exited on start:\n{Log}");
            try { return (await http.GetAsync(BaseUrl + "/health/live")).IsSuccessStatusCode; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; } // not up yet, or slow on a busy machine
        }, TimeSpan.FromSeconds(60), $"{name} process live");
    }

    /// <summary>SIGKILL: no shutdown, no flush, like a crashed host.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) File.AppendAllText(_log, line + "\n");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}

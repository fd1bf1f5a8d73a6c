using System.Diagnostics;

namespace WecomBridge.Tests.Infrastructure;

/// <summary>Runs scripts/servers.sh (the path scripts/test.sh exported).</summary>
public static class ServersScript
{
    public static async Task RunAsync(params string[] args)
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

using System.Text.RegularExpressions;

namespace WecomBridge.Tests.Infrastructure;

/// <summary>
/// An nginx of one test's own, started by scripts/servers.sh on a free loopback port (its pid, logs and
/// temp files in a folder of the test run, so scripts/test.sh stops it if the test cannot), with the
/// example site deploy/nginx/wecombridge.conf pointed at a gateway process. Fails (never skips) when
/// nginx is missing.
/// </summary>
public sealed partial class DisposableNginx : IAsyncDisposable
{
    private const string DropRule = "error_page 502 504 = @wecombridge_unanswered;";
    private readonly string _dir = Path.Combine(TestServers.TempRoot, "nginx-" + Guid.NewGuid().ToString("N")[..8]);

    public int Port { get; } = TestServers.FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string ErrorLog => File.Exists(Path.Combine(_dir, "error.log")) ? File.ReadAllText(Path.Combine(_dir, "error.log")) : "";

    /// <summary>
    /// nginx with the example site in front of the gateway on <paramref name="gatewayPort"/>;
    /// <paramref name="dropUnanswered"/> false takes out the one line that turns 502/504 into no answer.
    /// </summary>
    public static async Task<DisposableNginx> StartAsync(int gatewayPort, bool dropUnanswered = true)
    {
        var nginx = new DisposableNginx();
        Directory.CreateDirectory(nginx._dir);
        var site = Path.Combine(nginx._dir, "site.conf");
        await File.WriteAllTextAsync(site, Site(nginx.Port, gatewayPort, dropUnanswered));
        try
        {
            await ServersScript.RunAsync("nginx-start", nginx._dir, nginx.Port.ToString(), site);
        }
        catch
        {
            await nginx.DisposeAsync(); // a start that failed half-way leaves nothing running
            throw;
        }
        return nginx;
    }

    /// <summary>The example site, listening on 127.0.0.1:<paramref name="port"/> and proxying to the gateway.</summary>
    public static string Site(int port, int gatewayPort, bool dropUnanswered)
    {
        var repo = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(TestServers.ServersScript)))!;
        var site = File.ReadAllText(Path.Combine(repo, "deploy", "nginx", "wecombridge.conf"));
        site = ReplaceOnce(site, Listen(), $"listen 127.0.0.1:{port};");
        site = ReplaceOnce(site, Upstream(), $"server 127.0.0.1:{gatewayPort};");
        return dropUnanswered ? site : ReplaceOnce(site, new Regex(Regex.Escape(DropRule)), "# (drop rule taken out)");
    }

    // The example must keep the lines a test rewrites: fail loudly rather than test another configuration.
    private static string ReplaceOnce(string text, Regex pattern, string replacement)
    {
        var count = pattern.Matches(text).Count;
        if (count != 1) throw new InvalidOperationException($"deploy/nginx/wecombridge.conf: expected one '{pattern}', found {count}");
        return pattern.Replace(text, replacement);
    }

    [GeneratedRegex(@"listen 80;")]
    private static partial Regex Listen();

    [GeneratedRegex(@"server 127\.0\.0\.1:8080;")]
    private static partial Regex Upstream();

    public async ValueTask DisposeAsync() => await ServersScript.RunAsync("nginx-stop", _dir);
}

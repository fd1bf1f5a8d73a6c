using System.Net;
using System.Net.Sockets;

namespace WecomBridge.Tests.Infrastructure;

/// <summary>
/// The servers scripts/test.sh started. A test that needs one fails (never skips) when it is missing.
/// </summary>
public static class TestServers
{
    public static string Redis => Required("WECOMBRIDGE_TEST_REDIS");
    public static string RabbitMq => Required("WECOMBRIDGE_TEST_RABBITMQ");
    /// <summary>The cluster's maintenance database; a test creates a database of its own (Pool/PoolDatabase.cs).</summary>
    public static string Postgres => Required("WECOMBRIDGE_TEST_POSTGRES");
    public static string ServersScript => Required("WECOMBRIDGE_TEST_SERVERS");
    public static string TempRoot => Required("WECOMBRIDGE_TEST_TMP");

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: this test needs the servers that scripts/test.sh starts (run the tests with scripts/test.sh).");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

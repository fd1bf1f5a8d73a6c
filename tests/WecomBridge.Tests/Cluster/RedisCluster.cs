using StackExchange.Redis;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Cluster;

/// <summary>
/// A Redis Cluster of 3 masters and 3 replicas: the one scripts/test.sh --redis-cluster started
/// (WECOMBRIDGE_TEST_REDIS_CLUSTER), else one of this test run's own in the run's folder (servers.sh
/// redis-cluster-start), stopped at the end. Without servers.sh (tests not run by scripts/test.sh) the tests fail.
/// </summary>
public sealed class RedisCluster : IAsyncLifetime
{
    private string? _dir;

    public string ConnectionString { get; private set; } = "";
    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("WECOMBRIDGE_TEST_REDIS_CLUSTER") is { Length: > 0 } given)
        {
            ConnectionString = given;
        }
        else
        {
            _dir = Path.Combine(TestServers.TempRoot, "redis-cluster-" + Guid.NewGuid().ToString("N")[..8]);
            await ServersScript.RunAsync(["redis-cluster-start", _dir, .. Enumerable.Range(0, 6).Select(_ => TestServers.FreePort().ToString())]);
            ConnectionString = (await File.ReadAllTextAsync(Path.Combine(_dir, "endpoints"))).Trim();
        }
        Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
        if (Connection.GetServers().All(s => s.ServerType != ServerType.Cluster))
            throw new InvalidOperationException($"{ConnectionString} is not a Redis Cluster");
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (_dir is not null) await ServersScript.RunAsync("redis-cluster-stop", _dir);
    }
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisCluster>
{
    public const string Name = "Redis Cluster";
}

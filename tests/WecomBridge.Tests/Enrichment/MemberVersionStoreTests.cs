using StackExchange.Redis;
using WecomBridge.Enrichment.MemberVersions;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Enrichment;

public sealed class MemberVersionStoreTests : IDisposable
{
    private readonly ConnectionMultiplexer _redis = ConnectionMultiplexer.Connect(TestServers.Redis);
    private readonly string _corp = "corp" + Guid.NewGuid().ToString("N")[..8];

    public static TheoryData<string> Stores => new("redis", "memory");

    private IMemberVersionStore Store(string kind) => kind == "redis"
        ? new RedisMemberVersionStore(_redis, TimeSpan.FromMinutes(5))
        : new InMemoryMemberVersionStore();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_chat_never_seen_has_no_version_and_the_last_set_wins(string kind)
    {
        var store = Store(kind);
        Assert.Null(await store.GetAsync(_corp, "wrChat1"));

        await store.SetAsync(_corp, "wrChat1", "v1");
        await store.SetAsync(_corp, "wrChat1", "v2");
        await store.SetAsync(_corp, "wrChat2", "x9");

        Assert.Equal("v2", await store.GetAsync(_corp, "wrChat1"));
        Assert.Equal("x9", await store.GetAsync(_corp, "wrChat2"));
        Assert.Null(await store.GetAsync(_corp + "other", "wrChat1"));
    }

    [Fact]
    public async Task Redis_versions_are_shared_by_instances_and_expire()
    {
        await new RedisMemberVersionStore(_redis, TimeSpan.FromMinutes(5)).SetAsync(_corp, "wrChat1", "v7");

        using var other = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        Assert.Equal("v7", await new RedisMemberVersionStore(other, TimeSpan.FromMinutes(5)).GetAsync(_corp, "wrChat1"));
        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync($"wb:memver:{_corp}:wrChat1");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    public void Dispose() => _redis.Dispose();
}

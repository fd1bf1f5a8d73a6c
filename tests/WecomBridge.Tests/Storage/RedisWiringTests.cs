using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Storage;

public class RedisWiringTests
{
    [Fact]
    public async Task A_value_round_trips_through_the_apps_redis_connection()
    {
        await using var app = new BridgeApp(BridgeApp.WithServers());
        var redis = app.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = $"test:{nameof(A_value_round_trips_through_the_apps_redis_connection)}:{Guid.NewGuid():N}";

        await redis.StringSetAsync(key, "值 value", TimeSpan.FromMinutes(1));

        Assert.Equal("值 value", (string?)await redis.StringGetAsync(key));
    }
}
